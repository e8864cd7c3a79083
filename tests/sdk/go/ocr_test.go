// silenceper/wechat/v2 (unchanged) against a running idcard-ocr: the SDK's own URI modifier
// sends https://api.weixin.qq.com/... to the service, as docs/clients.md shows. Run from
// tests/e2e/test_sdk_go.py, which starts the service and an image host and sets IDCARD_SDK_*.
package sdk

import (
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/silenceper/wechat/v2"
	"github.com/silenceper/wechat/v2/cache"
	offConfig "github.com/silenceper/wechat/v2/officialaccount/config"
	"github.com/silenceper/wechat/v2/officialaccount/ocr"
	"github.com/silenceper/wechat/v2/util"
)

type truth struct {
	Front map[string]string `json:"front"`
	Back  map[string]string `json:"back"`
}

func env(t *testing.T, name string) string {
	v := os.Getenv(name)
	if v == "" {
		t.Fatalf("%s is not set: run this through tests/e2e/test_sdk_go.py", name)
	}
	return v
}

func newOCR(t *testing.T, secret string) *ocr.OCR {
	base := env(t, "IDCARD_SDK_BASE_URL")
	util.SetURIModifier(func(uri string) string {
		return strings.Replace(uri, "https://api.weixin.qq.com", base, 1)
	})
	wc := wechat.NewWechat()
	oa := wc.GetOfficialAccount(&offConfig.Config{
		AppID: env(t, "IDCARD_SDK_APPID"), AppSecret: secret, Cache: cache.NewMemory(),
	})
	return oa.GetOCR()
}

func expected(t *testing.T) truth {
	var tr truth
	if err := json.Unmarshal([]byte(env(t, "IDCARD_SDK_TRUTH")), &tr); err != nil {
		t.Fatal(err)
	}
	return tr
}

func TestIDCardFrontAndBackByURL(t *testing.T) {
	o := newOCR(t, env(t, "IDCARD_SDK_SECRET"))
	tr := expected(t)
	front, err := o.IDCard(env(t, "IDCARD_SDK_FRONT_URL"))
	if err != nil {
		t.Fatal(err)
	}
	if front.ErrCode != 0 || front.Type != "Front" || front.ID != tr.Front["id"] || front.Name != tr.Front["name"] ||
		front.Gender != tr.Front["gender"] || front.Nationality == "" || front.Address == "" {
		t.Fatalf("front: %+v, want %v", front, tr.Front)
	}
	back, err := o.IDCard(env(t, "IDCARD_SDK_BACK_URL"))
	if err != nil {
		t.Fatal(err)
	}
	if back.Type != "Back" || back.ValidDate != tr.Back["valid_date"] {
		t.Fatalf("back: %+v, want %v", back, tr.Back)
	}
}

func TestErrorsCarryErrcode(t *testing.T) {
	o := newOCR(t, env(t, "IDCARD_SDK_SECRET"))
	_, err := o.IDCard(env(t, "IDCARD_SDK_MISSING_URL"))
	var ce *util.CommonError
	if !errors.As(err, &ce) || ce.ErrCode != 101000 || !strings.HasPrefix(ce.ErrMsg, "invalid image url rid: ") {
		t.Fatalf("missing image: got %v, want errcode 101000", err)
	}
	// A wrong secret: the token call fails with WeChat's 40001, reported by the SDK.
	_, err = newOCR(t, strings.Repeat("0", 32)).IDCard(env(t, "IDCARD_SDK_FRONT_URL"))
	if err == nil || !strings.Contains(err.Error(), "errcode=40001") {
		t.Fatalf("wrong secret: got %v, want errcode=40001", err)
	}
}

// The SDK keeps its token for expires_in - 1500 s of its own clock; when the service's token
// runs out first, the call reports WeChat's 42001 (the SDK does not retry), and a fresh SDK
// instance (empty cache) gets a new token and succeeds.
func TestExpiredTokenIsReported(t *testing.T) {
	o := newOCR(t, env(t, "IDCARD_SDK_SECRET"))
	if _, err := o.IDCard(env(t, "IDCARD_SDK_BACK_URL")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(env(t, "IDCARD_SDK_CLOCK_FILE"), []byte("7300"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := o.IDCard(env(t, "IDCARD_SDK_BACK_URL"))
	var ce *util.CommonError
	if !errors.As(err, &ce) || ce.ErrCode != 42001 {
		t.Fatalf("got %v, want errcode 42001", err)
	}
	if _, err := newOCR(t, env(t, "IDCARD_SDK_SECRET")).IDCard(env(t, "IDCARD_SDK_BACK_URL")); err != nil {
		t.Fatal(err)
	}
}
