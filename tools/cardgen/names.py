"""Name pools: common surnames and given-name characters, plus minority naming styles."""
from pathlib import Path

# Rare given-name and surname characters: the rare_name group of tools/train_rec (level 3 of the
# Table of General Standard Chinese Characters absent from the tiny recognizer's dictionary, plus
# well-known rare name characters; see tools/train_rec/charset.py), in a fixed order so a seed
# always draws the same names.
RARE_CHARS_FILE = Path(__file__).resolve().parents[1] / "train_rec" / "data" / "rare_name_chars.txt"

SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
            "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武"
            "戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮"
            "柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古")
COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "司徒", "夏侯",
                     "端木", "百里", "呼延", "南宫")
MALE_CHARS = ("伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林阳建国峰成志新海东文兵亮晨博"
              "浩然子轩宇航俊杰振家豪皓睿泽瑞祥德福贵荣昊天翔耀胜武斌彬毅诚康永庆锋晖智铭鸿腾")
FEMALE_CHARS = ("芳娜敏静丽艳娟霞秀玲桂英梅琳雪婷慧颖倩佳琪欣怡悦璐瑶婉晴雯洁薇莉萍红燕丹蕾菲月凤兰"
                "淑惠晓露梦琳彤涵萱诗雨思嘉梓紫馨媛嫣珊霏蓉茜珍翠琼秋")
NEUTRAL_CHARS = "文明春晓红艳军华玉金云海清安宁平乐心一子小永秀家志"
RARE_CHARS = RARE_CHARS_FILE.read_text(encoding="utf-8").strip()

# Minority naming styles. Parts are 2-4 characters; Uyghur-style names join parts with "·".
DOT_MALE = ("买买提", "艾力", "阿不都", "吐尔逊", "艾尼瓦尔", "热合曼", "阿迪力", "库尔班", "依明", "阿力木",
            "努尔兰", "叶尔兰", "别克", "吾买尔", "艾合买提", "麦麦提", "亚森", "米吉提", "赛买提", "沙吾提",
            "肉孜", "阿布力孜", "玉苏甫", "托合提", "阿里木", "居马", "哈力克", "巴合提", "吐尔洪", "热西提")
DOT_FEMALE = ("阿依古丽", "古丽娜尔", "热依拉", "帕提古丽", "迪丽娜尔", "玛依拉", "阿依努尔", "努尔古丽",
              "再努尔", "米娜瓦尔", "阿娜尔", "古再丽", "热孜宛", "布比", "哈丽旦", "巴哈古丽", "阿斯叶", "佐热",
              "古丽", "阿米娜", "萨拉", "苏比努尔")
RUSSIAN_GIVEN = ("伊万", "安德烈", "娜塔莎", "瓦西里", "尼古拉", "卡佳", "玛莎", "谢尔盖")
RUSSIAN_FAMILY = ("彼得洛夫", "伊万诺夫", "库兹明", "索科洛夫", "巴甫洛娃", "沃尔科娃")
TIBETAN = ("扎西", "次仁", "卓玛", "央金", "多吉", "格桑", "拉姆", "旺堆", "尼玛", "德吉", "平措", "索朗", "达瓦",
           "白玛", "强巴", "巴桑", "顿珠", "曲珍", "罗布", "益西")
MONGOLIAN = ("巴特尔", "其其格", "乌云", "苏和", "额尔敦", "那仁", "朝鲁", "斯琴", "格日勒", "宝音", "图雅", "哈斯",
             "阿拉坦", "乌兰", "包", "白音", "敖登", "萨仁", "高娃", "毕力格")

DOT_NATIONS = ("维吾尔", "哈萨克", "柯尔克孜", "塔吉克", "乌孜别克", "塔塔尔")
TIBETAN_NATIONS = ("藏", "门巴", "珞巴")
MONGOLIAN_NATIONS = ("蒙古", "达斡尔", "鄂温克", "鄂伦春")

NATIONALITIES = ("汉", "蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜", "满", "侗", "瑶", "白",
                 "土家", "哈尼", "哈萨克", "傣", "黎", "傈僳", "佤", "畲", "高山", "拉祜", "水", "东乡", "纳西",
                 "景颇", "柯尔克孜", "土", "达斡尔", "仫佬", "羌", "布朗", "撒拉", "毛南", "仡佬", "锡伯", "阿昌",
                 "普米", "塔吉克", "怒", "乌孜别克", "俄罗斯", "鄂温克", "德昂", "保安", "裕固", "京", "塔塔尔",
                 "独龙", "鄂伦春", "赫哲", "门巴", "珞巴", "基诺")

# Province a nationality most often lives in (GB/T 2260 two-digit prefix).
HOME_PROVINCE = {"维吾尔": "65", "哈萨克": "65", "柯尔克孜": "65", "塔吉克": "65", "乌孜别克": "65", "塔塔尔": "65",
                 "锡伯": "65", "俄罗斯": "65", "藏": "54", "门巴": "54", "珞巴": "54", "蒙古": "15", "达斡尔": "15",
                 "鄂温克": "15", "鄂伦春": "23", "赫哲": "23", "壮": "45", "京": "45", "回": "64", "朝鲜": "22",
                 "彝": "53", "傣": "53", "白": "53", "哈尼": "53", "苗": "52", "布依": "52", "土家": "43", "满": "21"}


def han_name(rnd, gender: str, rare_p: float = 0.08) -> str:
    surname = rnd.choice(COMPOUND_SURNAMES) if rnd.random() < 0.03 else rnd.choice(SURNAMES)
    pool = MALE_CHARS if gender == "男" else FEMALE_CHARS
    n_given = 1 if rnd.random() < 0.3 else 2
    if len(surname) == 2 and rnd.random() < 0.5:
        n_given = 1
    given = [rnd.choice(pool if rnd.random() < 0.8 else NEUTRAL_CHARS) for _ in range(n_given)]
    if rnd.random() < rare_p:
        given[rnd.randrange(n_given)] = rnd.choice(RARE_CHARS)
    return surname + "".join(given)


def person_name(rnd, gender: str, nationality: str, rare_p: float = 0.08) -> str:
    if nationality in DOT_NATIONS and rnd.random() < 0.85:
        own = rnd.choice(DOT_MALE if gender == "男" else DOT_FEMALE)
        parts = [own, rnd.choice(DOT_MALE)]
        if rnd.random() < 0.1:
            parts.append(rnd.choice(DOT_MALE))
        return "·".join(parts)
    if nationality == "俄罗斯" and rnd.random() < 0.6:
        return rnd.choice(RUSSIAN_GIVEN) + "·" + rnd.choice(RUSSIAN_FAMILY)
    if nationality in TIBETAN_NATIONS and rnd.random() < 0.75:
        return "".join(rnd.sample(TIBETAN, rnd.choice((1, 2, 2))))
    if nationality in MONGOLIAN_NATIONS and rnd.random() < 0.5:
        name = rnd.choice(MONGOLIAN)
        if len(name) < 3 and rnd.random() < 0.5:
            name += rnd.choice([m for m in MONGOLIAN if len(m) <= 2])
        return name if len(name) >= 2 else name + rnd.choice("其日")
    return han_name(rnd, gender, rare_p)
