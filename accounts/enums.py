"""Kinds of organisation and Chongqing's districts; imports nothing of ours."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgKind(models.TextChoices):
    """Organisation kinds of R3.3."""

    UNIT = "unit", _("用人单位")
    COMPETENT_DEPARTMENT = "competent_department", _("主管部门")
    DISTRICT_HR = "district_hr", _("区县人力社保(职改)部门")
    PERSONNEL_AGENCY = "personnel_agency", _("人事代理机构")
    CQ_MANAGEMENT_BODY = "cq_management_body", _("市外单位驻渝最高管理机构")
    COMMITTEE_HOST = "committee_host", _("评委会组建单位")
    APPROVAL_BODY = "approval_body", _("核准机构")


class AdminLevel(models.TextChoices):
    """Administrative level of an organisation (a competent department is city or district)."""

    CITY = "city", _("市级")
    DISTRICT = "district", _("区县级")


class District(models.TextChoices):
    """Chongqing's districts and counties, plus the city level itself."""

    CITY = "500000", _("重庆市(市级)")
    WANZHOU = "500101", _("万州区")
    FULING = "500102", _("涪陵区")
    YUZHONG = "500103", _("渝中区")
    DADUKOU = "500104", _("大渡口区")
    JIANGBEI = "500105", _("江北区")
    SHAPINGBA = "500106", _("沙坪坝区")
    JIULONGPO = "500107", _("九龙坡区")
    NANAN = "500108", _("南岸区")
    BEIBEI = "500109", _("北碚区")
    QIJIANG = "500110", _("綦江区")
    DAZU = "500111", _("大足区")
    YUBEI = "500112", _("渝北区")
    BANAN = "500113", _("巴南区")
    QIANJIANG = "500114", _("黔江区")
    CHANGSHOU = "500115", _("长寿区")
    JIANGJIN = "500116", _("江津区")
    HECHUAN = "500117", _("合川区")
    YONGCHUAN = "500118", _("永川区")
    NANCHUAN = "500119", _("南川区")
    BISHAN = "500120", _("璧山区")
    TONGLIANG = "500151", _("铜梁区")
    TONGNAN = "500152", _("潼南区")
    RONGCHANG = "500153", _("荣昌区")
    KAIZHOU = "500154", _("开州区")
    LIANGPING = "500155", _("梁平区")
    WULONG = "500156", _("武隆区")
    CHENGKOU = "500229", _("城口县")
    FENGDU = "500230", _("丰都县")
    DIANJIANG = "500231", _("垫江县")
    ZHONG = "500233", _("忠县")
    YUNYANG = "500235", _("云阳县")
    FENGJIE = "500236", _("奉节县")
    WUSHAN = "500237", _("巫山县")
    WUXI = "500238", _("巫溪县")
    SHIZHU = "500240", _("石柱土家族自治县")
    XIUSHAN = "500241", _("秀山土家族苗族自治县")
    YOUYANG = "500242", _("酉阳土家族苗族自治县")
    PENGSHUI = "500243", _("彭水苗族土家族自治县")
    LIANGJIANG = "500191", _("两江新区")
    GAOXIN = "500192", _("西部科学城重庆高新区")
    WANSHENG = "500193", _("万盛经开区")
