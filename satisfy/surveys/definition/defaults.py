"""Default wording applied when a survey does not give its own.

The loader copies these texts into the definition, so a stored definition keeps
its wording even if these defaults change later.
"""

from __future__ import annotations

from .model import Translations


def _t(en: str, zh: str, es: str) -> Translations:
    return Translations({"en": en, "zh-Hans": zh, "es": es})


NA_LABEL = _t("Don't know / not applicable", "不知道 / 不适用", "No sé / no aplica")

THANK_YOU = _t(
    "Thank you for your feedback.",
    "感谢您的反馈。",
    "Gracias por su opinión.",
)

CSAT_LABELS_5 = (
    _t("Very dissatisfied", "非常不满意", "Muy insatisfecho"),
    _t("Dissatisfied", "不满意", "Insatisfecho"),
    _t("Neither satisfied nor dissatisfied", "一般", "Ni satisfecho ni insatisfecho"),
    _t("Satisfied", "满意", "Satisfecho"),
    _t("Very satisfied", "非常满意", "Muy satisfecho"),
)

CES2_LABELS = (
    _t("Strongly disagree", "非常不同意", "Totalmente en desacuerdo"),
    _t("Disagree", "不同意", "En desacuerdo"),
    _t("Somewhat disagree", "有点不同意", "Algo en desacuerdo"),
    _t(
        "Neither agree nor disagree",
        "既不同意也不反对",
        "Ni de acuerdo ni en desacuerdo",
    ),
    _t("Somewhat agree", "有点同意", "Algo de acuerdo"),
    _t("Agree", "同意", "De acuerdo"),
    _t("Strongly agree", "非常同意", "Totalmente de acuerdo"),
)

CES1_LABELS = (
    _t("Very low effort", "非常省力", "Muy poco esfuerzo"),
    _t("Low effort", "比较省力", "Poco esfuerzo"),
    _t("Neither low nor high effort", "一般", "Ni poco ni mucho esfuerzo"),
    _t("High effort", "比较费力", "Mucho esfuerzo"),
    _t("Very high effort", "非常费力", "Muchísimo esfuerzo"),
)

IMPORTANCE_LABELS_5 = (
    _t("Not at all important", "完全不重要", "Nada importante"),
    _t("Slightly important", "不太重要", "Poco importante"),
    _t("Moderately important", "一般重要", "Moderadamente importante"),
    _t("Very important", "很重要", "Muy importante"),
    _t("Extremely important", "极其重要", "Sumamente importante"),
)

NPS_MIN_LABEL = _t("Not at all likely", "完全不可能", "Nada probable")
NPS_MAX_LABEL = _t("Extremely likely", "极有可能", "Muy probable")

AGREE_MIN_LABEL = _t("Strongly disagree", "非常不同意", "Totalmente en desacuerdo")
AGREE_MAX_LABEL = _t("Strongly agree", "非常同意", "Totalmente de acuerdo")

EXPECTATION_LABEL = _t("What I expected", "我的期望", "Lo que esperaba")
PERCEPTION_LABEL = _t("What I experienced", "我的实际感受", "Lo que recibí")
