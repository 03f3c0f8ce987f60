"""Open comments for the demo, in English, simplified Chinese and Spanish.

A comment is picked from the respondent's own answers: its tone follows the
overall score and its topic the weakest (or strongest) part of the experience, so
text analysis on the demo finds wait, resolution and agent themes where the
numbers say they should be. ``{agent}`` is replaced by the agent's first name.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

TEMPLATES: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "pos_agent": (
            "{agent} was really friendly and patient with me.",
            "Great service from {agent}, explained everything clearly.",
            "{agent} went out of their way to help. Thank you!",
            "Very polite and knowledgeable agent.",
        ),
        "pos_resolved": (
            "Problem solved on the first call, exactly what I needed.",
            "Sorted out my issue quickly, no need to call back.",
            "Everything was fixed while I was on the phone.",
            "Clear answer and the problem is gone. Thanks.",
        ),
        "pos_fast": (
            "Got through almost straight away, impressive.",
            "Hardly any wait at all this time.",
            "Quick to reach someone, quick to sort it out.",
        ),
        "pos_general": (
            "Good experience overall.",
            "Easy and pleasant, thank you.",
            "Happy with the help I received.",
        ),
        "neutral": (
            "It was OK, nothing special.",
            "Fine in the end but it took a while.",
            "The agent was nice but I am not sure the issue is really fixed.",
            "Average service.",
        ),
        "neg_wait": (
            "Waited far too long on hold before anyone answered.",
            "The queue was endless, I almost hung up.",
            "Over ten minutes of music before I could speak to someone.",
            "Why does it always take so long to get through?",
        ),
        "neg_unresolved": (
            "My problem is still not solved.",
            "Nobody could actually fix the issue, I will have to call again.",
            "Third time calling about the same thing and still nothing.",
            "I was promised a solution but nothing happened.",
        ),
        "neg_transfer": (
            "I was passed from one department to another.",
            "Transferred twice and had to repeat everything each time.",
            "Nobody seemed to know who should deal with my request.",
        ),
        "neg_agent": (
            "The agent was rude and did not listen.",
            "The person I spoke to seemed uninterested in helping.",
            "Unfriendly and impatient on the phone.",
        ),
        "neg_general": (
            "Very disappointing service.",
            "Not happy at all with how this was handled.",
            "I expected much better.",
        ),
    },
    "zh-Hans": {
        "pos_agent": (
            "{agent}非常耐心，态度很好。",
            "{agent}解释得很清楚，服务很专业。",
            "客服人员热情周到，谢谢{agent}！",
            "坐席很有礼貌，业务也很熟练。",
        ),
        "pos_resolved": (
            "一次就解决了我的问题，很满意。",
            "问题很快处理好了，不用再打电话。",
            "通话过程中就把问题解决了。",
            "答复明确，问题已经解决，谢谢。",
        ),
        "pos_fast": (
            "几乎不用等就接通了。",
            "这次等待时间很短，很好。",
            "接通快，处理也快。",
        ),
        "pos_general": (
            "总体体验不错。",
            "方便快捷，谢谢。",
            "对这次服务很满意。",
        ),
        "neutral": (
            "还可以，一般般。",
            "最后解决了，但花了不少时间。",
            "客服态度不错，但不确定问题是否真的解决了。",
            "服务一般。",
        ),
        "neg_wait": (
            "等了太久才有人接听。",
            "排队时间太长，差点挂断。",
            "听了十几分钟的音乐才接通人工。",
            "为什么每次都要等这么久？",
        ),
        "neg_unresolved": (
            "我的问题到现在还没有解决。",
            "没有人能真正解决问题，还得再打电话。",
            "同一个问题已经打了三次电话，还是没有结果。",
            "答应给我解决，结果什么都没做。",
        ),
        "neg_transfer": (
            "被转来转去，一个部门推给另一个部门。",
            "转接了两次，每次都要重新说明情况。",
            "好像没有人知道该由谁来处理我的问题。",
        ),
        "neg_agent": (
            "客服态度很差，根本不听我说。",
            "接电话的人好像不想帮忙。",
            "服务态度冷淡，很不耐烦。",
        ),
        "neg_general": (
            "服务很让人失望。",
            "对这次处理非常不满意。",
            "本以为会好很多。",
        ),
    },
    "es": {
        "pos_agent": (
            "{agent} fue muy amable y paciente conmigo.",
            "Excelente atención de {agent}, me lo explicó todo con claridad.",
            "{agent} hizo todo lo posible por ayudarme. ¡Gracias!",
            "Agente muy educado y con buenos conocimientos.",
        ),
        "pos_resolved": (
            "Me resolvieron el problema en la primera llamada.",
            "Solucionaron mi incidencia rápido, no tuve que volver a llamar.",
            "Quedó todo arreglado durante la llamada.",
            "Respuesta clara y problema resuelto. Gracias.",
        ),
        "pos_fast": (
            "Me atendieron casi al instante.",
            "Esta vez apenas tuve que esperar.",
            "Rápido para contactar y rápido para resolver.",
        ),
        "pos_general": (
            "Buena experiencia en general.",
            "Fácil y agradable, gracias.",
            "Contento con la ayuda recibida.",
        ),
        "neutral": (
            "Estuvo bien, nada especial.",
            "Al final bien, pero tardaron bastante.",
            "El agente fue amable, pero no sé si el problema está resuelto de verdad.",
            "Servicio normal.",
        ),
        "neg_wait": (
            "Esperé demasiado tiempo hasta que alguien contestó.",
            "La cola era interminable, casi cuelgo.",
            "Más de diez minutos escuchando música antes de hablar con alguien.",
            "¿Por qué siempre se tarda tanto en conseguir hablar con alguien?",
        ),
        "neg_unresolved": (
            "Mi problema sigue sin resolverse.",
            "Nadie pudo arreglar la incidencia, tendré que volver a llamar.",
            "Es la tercera vez que llamo por lo mismo y nada.",
            "Me prometieron una solución pero no pasó nada.",
        ),
        "neg_transfer": (
            "Me pasaron de un departamento a otro.",
            "Me transfirieron dos veces y tuve que repetirlo todo.",
            "Nadie sabía quién tenía que ocuparse de mi solicitud.",
        ),
        "neg_agent": (
            "El agente fue grosero y no me escuchó.",
            "La persona que me atendió no tenía ganas de ayudar.",
            "Trato poco amable e impaciente.",
        ),
        "neg_general": (
            "Un servicio muy decepcionante.",
            "Nada contento con cómo se gestionó.",
            "Esperaba mucho más.",
        ),
    },
}


def _topic(
    *,
    overall: float,
    access: float,
    resolution: float,
    treatment: float,
    wait_minutes: float,
    unresolved: bool,
    transfers: float,
) -> str:
    """The template group for one respondent; NaN (not applicable) never matches."""
    if overall <= 2 or (overall == 3 and min(access, resolution, treatment) <= 2):
        if unresolved and not resolution > 2:
            return "neg_unresolved"
        if transfers >= 1:
            return "neg_transfer"
        if wait_minutes > 3 and not access > 2:
            return "neg_wait"
        if treatment <= 2:
            return "neg_agent"
        return "neg_general"
    if overall == 3:
        return "neutral"
    if treatment == 5:
        return "pos_agent"
    if not unresolved and resolution == 5:
        return "pos_resolved"
    if wait_minutes < 1 and access == 5:
        return "pos_fast"
    return "pos_general"


def pick_comments(
    rng: np.random.Generator,
    *,
    wants_comment: NDArray[np.bool_],
    language: Sequence[str],
    overall: NDArray[np.float64],
    access: NDArray[np.float64],
    resolution: NDArray[np.float64],
    treatment: NDArray[np.float64],
    wait_minutes: NDArray[np.float64],
    unresolved: NDArray[np.bool_],
    transfers: NDArray[np.float64],
    agent_first_name: Sequence[str],
) -> tuple[str, ...]:
    """One comment per respondent (``""`` where ``wants_comment`` is false)."""
    draws = rng.random(len(wants_comment))
    comments: list[str] = []
    for index, wanted in enumerate(wants_comment.tolist()):
        if not wanted:
            comments.append("")
            continue
        topic = _topic(
            overall=float(overall[index]),
            access=float(access[index]),
            resolution=float(resolution[index]),
            treatment=float(treatment[index]),
            wait_minutes=float(wait_minutes[index]),
            unresolved=bool(unresolved[index]),
            transfers=float(transfers[index]),
        )
        options = TEMPLATES[language[index]][topic]
        text = options[int(draws[index] * len(options))]
        comments.append(text.replace("{agent}", agent_first_name[index]))
    return tuple(comments)
