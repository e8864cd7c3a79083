"""The installable library: `cmake --install` of the build that made the binary into a temporary
prefix, then examples/read_card.cpp built against it twice, with find_package(IdcardOcr) and with
pkg-config, and run on a generator card; the fields it prints are the card's."""
import os
import shutil
import subprocess

import pytest

from e2e_support import REPO, bin_path
from sdk_support import FRONT_SEED, generator_card

TIMEOUT_S = 900


def run(cmd, **kw):
    proc = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=TIMEOUT_S, **kw)
    assert proc.returncode == 0, f"{' '.join(map(str, cmd))}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc


@pytest.fixture(scope="module")
def prefix(tmp_path_factory):
    build = bin_path().parent
    if not (build / "CMakeCache.txt").is_file():
        pytest.skip(f"no CMake build next to {bin_path()} (build it, or set IDCARD_OCR_BIN)")
    for tool in ("cmake", "pkg-config", "c++"):
        if not shutil.which(tool):
            pytest.skip(f"{tool} not found")
    run(["cmake", "--build", build, "--target", "idcard"])  # the library, if the build skipped it
    out = tmp_path_factory.mktemp("prefix")
    run(["cmake", "--install", build, "--prefix", out])
    return out


def test_only_the_public_headers_are_installed(prefix):
    headers = sorted(p.relative_to(prefix).as_posix() for p in (prefix / "include").rglob("*") if p.is_file())
    assert headers == ["include/idcard-ocr/core/engine_settings.h", "include/idcard-ocr/idcard/card_reader.h",
                       "include/idcard-ocr/idcard/card_result.h"]


@pytest.fixture(scope="module")
def front(tmp_path_factory):
    card = generator_card(FRONT_SEED, "Front")
    path = tmp_path_factory.mktemp("card") / ("front" + card["ext"])
    path.write_bytes(card["bytes"])
    return path, card["truth"]


def check_fields(binary, front):
    path, truth = front
    out = run([binary, path]).stdout
    fields = dict(line.split(" ", 1) for line in out.splitlines() if " " in line)
    assert fields["name"] == truth["name"] and fields["id"] == truth["id"], out
    assert fields["gender"] == truth["gender"] and fields["addr"] == truth["addr"], out
    assert fields["birth"] == truth["birth"].replace("-", ""), out


def test_example_with_find_package(prefix, front, tmp_path):
    run(["cmake", "-S", REPO / "examples", "-B", tmp_path, f"-DCMAKE_PREFIX_PATH={prefix}"])
    run(["cmake", "--build", tmp_path])
    check_fields(tmp_path / "read_card", front)


def test_example_with_pkg_config(prefix, front, tmp_path):
    env = dict(os.environ, PKG_CONFIG_PATH=str(next(prefix.rglob("pkgconfig"))))
    flags = run(["pkg-config", "--cflags", "--libs", "idcard-ocr"], env=env).stdout.split()
    models = run(["pkg-config", "--variable=modeldir", "idcard-ocr"], env=env).stdout.strip()
    binary = tmp_path / "read_card"
    run(["c++", "-std=c++17", REPO / "examples" / "read_card.cpp", f'-DIDCARD_OCR_MODEL_DIR="{models}"',
         "-o", binary, *flags])
    check_fields(binary, front)
