"""A phone's full-size photo (12 megapixels and more): read like the same picture at a smaller
size, with positions in the image as sent. Big JPEGs are decoded at a reduced scale (libjpeg's DCT
scaling), so what is answered must still be measured in the sent image's pixels."""
import json
import subprocess

from PIL import Image

from e2e_support import READ_TIMEOUT_S
from test_cli_read import check_card_response


def read_detail(binary, image) -> dict:
    proc = subprocess.run([str(binary), "read", str(image), "--type", "photo", "--detail"], capture_output=True,
                          text=True, timeout=READ_TIMEOUT_S)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout.splitlines()[-1])


def corners(resp: dict) -> list:
    pos = resp["card_pos"]
    return [(pos[k]["x"], pos[k]["y"]) for k in ("left_top", "right_top", "right_bottom", "left_bottom")]


def test_twelve_megapixel_photo_reads_with_positions_in_its_own_pixels(idcard_bin, cardset, tmp_path):
    # Scans: a card nearly filling the frame, read at 100 % at their own size.
    scans = [cardset["records"][case] for case in sorted(cardset["records"]) if case[0] == "scan"]
    truth = next(t for t in scans if t["side"] == "Front")
    src = Image.open(cardset["dir"] / truth["file"]).convert("RGB")
    scale = 4000 / max(src.size)  # a 12-megapixel phone's long side
    big = src.resize((round(src.width * scale), round(src.height * scale)), Image.LANCZOS)
    path = tmp_path / "big.jpg"
    big.save(path, quality=90)

    small, large = read_detail(idcard_bin, cardset["dir"] / truth["file"]), read_detail(idcard_bin, path)
    check_card_response(large, truth)
    assert large["img_size"] == {"w": big.width, "h": big.height}
    # The card where it lies in the sent image: the smaller picture's corners, scaled.
    for (xs, ys), (xl, yl) in zip(corners(small), corners(large)):
        assert abs(xs * scale - xl) < 0.02 * big.width and abs(ys * scale - yl) < 0.02 * big.height, \
            (corners(small), corners(large), scale)
