"""Given names and family names for the demo's customers and agents (en, zh-Hans, es)."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

# fmt: off
FIRST_EN = (
    "James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda",
    "David", "Elizabeth", "William", "Susan", "Richard", "Jessica", "Joseph", "Sarah",
    "Thomas", "Karen", "Daniel", "Emma", "Oliver", "Amelia", "Jack", "Sophie", "Harry",
    "Grace", "George", "Chloe", "Noah", "Ruby", "Liam", "Ava", "Ethan", "Mia", "Lucas",
    "Ella",
)
LAST_EN = (
    "Smith", "Johnson", "Williams", "Brown", "Taylor", "Davies", "Evans", "Wilson",
    "Thomas", "Roberts", "Walker", "Wright", "Robinson", "Thompson", "White", "Hughes",
    "Edwards", "Green", "Hall", "Wood", "Harris", "Clarke", "Lewis", "Jackson",
    "Turner", "Hill", "Moore", "Cooper", "Ward", "Morris", "King", "Baker", "Scott",
    "Young", "Allen",
)
FIRST_ES = (
    "María", "José", "Antonio", "Carmen", "Manuel", "Ana", "Francisco", "Laura",
    "Javier", "Lucía", "Carlos", "Marta", "Miguel", "Elena", "Alejandro", "Sofía",
    "Pablo", "Paula", "David", "Isabel", "Diego", "Valentina", "Jorge", "Daniela",
)
LAST_ES = (
    "García", "Rodríguez", "González", "Fernández", "López", "Martínez", "Sánchez",
    "Pérez", "Gómez", "Martín", "Jiménez", "Ruiz", "Hernández", "Díaz", "Moreno",
    "Álvarez", "Romero", "Navarro", "Torres", "Domínguez", "Vargas",
)
SURNAME_ZH = (
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "林", "罗", "高",
)
GIVEN_ZH = (
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明",
    "超", "秀英", "华", "慧", "建国", "晓东", "雪", "婷",
)
# fmt: on


def draw_names(
    rng: np.random.Generator, language: NDArray[np.int64]
) -> tuple[str, ...]:
    """One name per person, in the style of their language (index into LANGUAGES)."""
    first_en = rng.integers(len(FIRST_EN), size=len(language))
    last_en = rng.integers(len(LAST_EN), size=len(language))
    first_es = rng.integers(len(FIRST_ES), size=len(language))
    last_es = rng.integers(len(LAST_ES), size=len(language))
    last_es2 = rng.integers(len(LAST_ES), size=len(language))
    surname = rng.integers(len(SURNAME_ZH), size=len(language))
    given = rng.integers(len(GIVEN_ZH), size=len(language))
    names: list[str] = []
    for index, lang in enumerate(language.tolist()):
        if lang == 1:
            names.append(SURNAME_ZH[surname[index]] + GIVEN_ZH[given[index]])
        elif lang == 2:
            names.append(
                f"{FIRST_ES[first_es[index]]} {LAST_ES[last_es[index]]} "
                f"{LAST_ES[last_es2[index]]}"
            )
        else:
            names.append(f"{FIRST_EN[first_en[index]]} {LAST_EN[last_en[index]]}")
    return tuple(names)
