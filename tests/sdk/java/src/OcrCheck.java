// WxJava's weixin-java-miniapp (unchanged) against a running idcard-ocr: its own
// setApiHostUrl/setAccessTokenUrl send every call to the service, as docs/clients.md shows.
// Run by tests/e2e/test_sdk_java.py, which starts the service and an image host and passes
// IDCARD_SDK_* variables; exits non-zero on the first failed check.
import cn.binarywang.wx.miniapp.api.WxMaService;
import cn.binarywang.wx.miniapp.api.impl.WxMaServiceImpl;
import cn.binarywang.wx.miniapp.config.impl.WxMaDefaultConfigImpl;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import me.chanjar.weixin.common.bean.ocr.WxOcrIdCardResult;
import me.chanjar.weixin.common.error.WxErrorException;

public final class OcrCheck {
  private static String env(String name) {
    String v = System.getenv(name);
    if (v == null || v.isEmpty()) throw new IllegalStateException(name + " is not set");
    return v;
  }

  private static void expect(boolean ok, String what) {
    if (!ok) throw new AssertionError(what);
  }

  static WxMaService service(String secret) {
    String base = env("IDCARD_SDK_BASE_URL");
    WxMaDefaultConfigImpl config = new WxMaDefaultConfigImpl();
    config.setAppid(env("IDCARD_SDK_APPID"));
    config.setSecret(secret);
    config.setApiHostUrl(base);
    config.setAccessTokenUrl(base + "/cgi-bin/token?grant_type=client_credential&appid=%s&secret=%s");
    WxMaService service = new WxMaServiceImpl();
    service.setWxMaConfig(config);
    return service;
  }

  static int errcode(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      if (e.getCause() instanceof WxErrorException) {
        return ((WxErrorException) e.getCause()).getError().getErrorCode();
      }
      throw e;
    }
    throw new AssertionError("no error raised");
  }

  interface Call {
    Object run() throws WxErrorException;
  }

  static Runnable unchecked(Call c) {
    return () -> {
      try {
        c.run();
      } catch (WxErrorException e) {
        throw new RuntimeException(e);
      }
    };
  }

  public static void main(String[] args) throws Exception {
    String check = args[0];
    WxMaService wx = service(env("IDCARD_SDK_SECRET"));
    switch (check) {
      case "front-and-back-by-url": {
        WxOcrIdCardResult front = wx.getOcrService().idCard(env("IDCARD_SDK_FRONT_URL"));
        expect("Front".equals(front.getType()), "front type: " + front);
        expect(env("IDCARD_SDK_FRONT_ID").equals(front.getId()), "front id: " + front);
        expect(env("IDCARD_SDK_FRONT_NAME").equals(front.getName()), "front name: " + front);
        expect(env("IDCARD_SDK_FRONT_ADDR").equals(front.getAddr()), "front addr: " + front);
        WxOcrIdCardResult back = wx.getOcrService().idCard(env("IDCARD_SDK_BACK_URL"));
        expect("Back".equals(back.getType()), "back type: " + back);
        expect(env("IDCARD_SDK_BACK_VALID_DATE").equals(back.getValidDate()), "back valid_date: " + back);
        break;
      }
      case "front-by-upload": {
        // WxJava uploads the image as multipart field `file`, which the service reads like `img`.
        WxOcrIdCardResult front = wx.getOcrService().idCard(new File(env("IDCARD_SDK_FRONT_FILE")));
        expect("Front".equals(front.getType()), "front type: " + front);
        expect(env("IDCARD_SDK_FRONT_ID").equals(front.getId()), "front id: " + front);
        expect(env("IDCARD_SDK_FRONT_NAME").equals(front.getName()), "front name: " + front);
        break;
      }
      case "errors": {
        int code = errcode(unchecked(() -> wx.getOcrService().idCard(env("IDCARD_SDK_MISSING_URL"))));
        expect(code == 101000, "missing image: " + code);
        WxMaService wrong = service("00000000000000000000000000000000");
        code = errcode(unchecked(() -> wrong.getOcrService().idCard(env("IDCARD_SDK_BACK_URL"))));
        expect(code == 40001, "wrong secret: " + code);
        break;
      }
      case "token-expiry": {
        wx.getOcrService().idCard(env("IDCARD_SDK_BACK_URL"));
        Files.write(Paths.get(env("IDCARD_SDK_CLOCK_FILE")), "7300".getBytes(StandardCharsets.US_ASCII));
        WxOcrIdCardResult back = wx.getOcrService().idCard(env("IDCARD_SDK_BACK_URL"));
        expect("Back".equals(back.getType()), "after expiry: " + back);
        break;
      }
      default:
        throw new IllegalArgumentException(check);
    }
    System.out.println("ok " + check);
  }
}
