"""Random Chinese sentences and number strings for distracting text and negative documents."""
import datetime as dt

from . import ids

_SUBJECTS = ("我们", "公司", "本单位", "客户", "工作人员", "办理人", "学校", "社区", "项目组", "用户", "经办人",
             "申请人", "各部门", "会议", "系统", "银行", "医院", "老师", "同学们", "居民")
_VERBS = ("需要", "已经", "将于", "正在", "按照规定", "请尽快", "统一", "负责", "认真", "及时", "完成了", "提交",
          "审核", "核对", "通知", "组织", "安排", "确认", "登记", "办理")
_OBJECTS = ("相关材料", "申请表格", "年度计划", "工作总结", "合同文件", "发票信息", "会议纪要", "考勤记录",
            "报销单据", "快递包裹", "维修服务", "购物清单", "课程安排", "体检报告", "租房合同", "水电费用",
            "培训课程", "活动方案", "产品说明", "设备清单", "订单详情", "退款申请", "营业执照", "保修条款")
_TAILS = ("请妥善保管", "逾期不予受理", "如有疑问请咨询前台", "谢谢配合", "详见附件", "特此通知",
          "请于本周五前完成", "欢迎您的光临", "祝您生活愉快", "请保持安静", "注意安全", "多谢支持")
SHORT = ("收据", "备注", "签字", "日期", "合计", "金额", "联系电话", "地址", "编号", "数量", "单价", "摘要",
         "经办人", "审核", "附件", "说明", "发货单", "收款单位", "客户名称", "开户行")


def sentence(rnd) -> str:
    parts = [rnd.choice(_SUBJECTS), rnd.choice(_VERBS), rnd.choice(_OBJECTS)]
    if rnd.random() < 0.6:
        parts.append("，" + rnd.choice(_TAILS))
    return "".join(parts) + rnd.choice("。。！；")


def number_like(rnd) -> str:
    """Strings that look like dates, IDs, phone numbers, amounts."""
    k = rnd.randrange(7)
    y, m, d = rnd.randint(1960, 2025), rnd.randint(1, 12), rnd.randint(1, 28)
    if k == 0:
        return f"{y}-{m:02d}-{d:02d}"
    if k == 1:
        return f"{y}年{m}月{d}日"
    if k == 2:
        return f"{y}.{m:02d}.{d:02d}"
    if k == 3:  # an 18-digit number, often a valid-looking ID
        body = "".join(str(rnd.randrange(10)) for _ in range(6)) + f"{y}{m:02d}{d:02d}{rnd.randrange(1000):03d}"
        return body + ids.check_digit(body)
    if k == 4:
        return "1" + rnd.choice("3578") + "".join(str(rnd.randrange(10)) for _ in range(9))
    if k == 5:
        return f"¥{rnd.randint(1, 9999)}.{rnd.randrange(100):02d}"
    return "No." + "".join(str(rnd.randrange(10)) for _ in range(rnd.randint(6, 12)))


def item(rnd) -> str:
    r = rnd.random()
    if r < 0.45:
        return sentence(rnd)
    if r < 0.75:
        return number_like(rnd)
    return rnd.choice(SHORT) + "：" + (number_like(rnd) if rnd.random() < 0.5 else rnd.choice(_OBJECTS))


def today_like(rnd) -> str:
    d = dt.date(2020, 1, 1) + dt.timedelta(days=rnd.randint(0, 2000))
    return f"{d:%Y-%m-%d} {rnd.randint(8, 21):02d}:{rnd.randint(0, 59):02d}"
