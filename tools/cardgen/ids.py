"""18-digit resident ID numbers (GB 11643): region + birth date + sequence + MOD 11-2 check."""
import datetime as dt

_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_CHECK = "10X98765432"


def check_digit(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character for the first 17 digits."""
    if len(first17) != 17 or not first17.isdigit():
        raise ValueError("need 17 digits")
    return _CHECK[sum(int(c) * w for c, w in zip(first17, _WEIGHTS)) % 11]


def make_id(region: str, birth: dt.date, seq: int) -> str:
    """seq is the 3-digit sequence (0..999); its last digit's parity carries the gender."""
    body = f"{region}{birth:%Y%m%d}{seq:03d}"
    return body + check_digit(body)


def sequence_for(gender: str, rnd) -> int:
    """A random 3-digit sequence whose last digit is odd for 男 and even for 女."""
    seq = rnd.randrange(0, 1000)
    if (seq % 2 == 1) != (gender == "男"):
        seq = seq + 1 if seq < 999 else seq - 1
    return seq


def is_valid(idno: str) -> bool:
    if len(idno) != 18 or not idno[:17].isdigit():
        return False
    try:
        dt.date(int(idno[6:10]), int(idno[10:12]), int(idno[12:14]))
    except ValueError:
        return False
    return idno[17] == check_digit(idno[:17])


def gender_of(idno: str) -> str:
    return "男" if int(idno[16]) % 2 == 1 else "女"
