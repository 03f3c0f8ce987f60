"""PLS-PM against published outputs of R plspm, SmartPLS and R seminr.

Sources of the reference numbers (each number below is copied from them):

* PLSPM-SAT: R ``plspm`` on ``satisfaction`` (bank), ``plspm(satisfaction, sat_path,
  sat_blocks, modes = rep("A", 6), scaled = FALSE)`` — the example of the plspm
  reference manual (``?satisfaction``; Sanchez 2013, *PLS Path Modeling with R*).
  Outputs as saved from R in GoogleCloudPlatform/plspm-python ``tests/data/``:
  ``satisfaction.outer-model.csv`` (centroid), ``satisfaction.outer-model-path.csv``,
  ``satisfaction.outer-model-factorial.csv``, ``satisfaction.inner-summary.csv``,
  ``satisfaction.effects.csv``, ``satisfaction_unidim.csv``,
  ``satisfaction.modeb.inner-summary.csv`` (all six blocks Mode B) and the GoF
  0.609741624338411 in ``tests/test_regression_metric.py``.
* SMARTPLS-ECSI: SmartPLS 2.0.M3 on ``mobi`` (ECSI model, "Mean 0, Var 1",
  initial weights 1.0, abort criterion 1e-7), shipped with the CRAN package semPLS
  in ``tests/SmartPLS/results/ecsi/{centroid,pathWeighting,factorial}/`` (files
  ``pathCoefficients.txt``, ``outerWeights.txt``, ``totalEffects.txt``), printed to
  8 decimals.
* SEMINR: R ``seminr`` test fixtures (``sem-in-r/seminr``
  ``tests/fixtures/V_3_6_0/reliability.csv`` and ``inner_weights_coefficients.csv``,
  from ``estimate_pls(mobi, <Image, Expectation, Value -> Satisfaction>,
  inner_weights = path_weighting)``), and the seminr ``mobi`` model with a Mode B
  Quality block saved in plspm-python ``tests/data/seminr-mobi-basic-*.csv``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from satisfy.analytics.acsi import ECSI_MODEL, match_columns
from satisfy.analytics.pls import PathModel, pls_path_model


def _satisfaction(shared_data: Path) -> pd.DataFrame:
    return pd.read_csv(shared_data / "survey-anchors" / "satisfaction.csv", index_col=0)


def _mobi(shared_data: Path) -> pd.DataFrame:
    return pd.read_csv(shared_data / "survey-anchors" / "mobi.csv", index_col=0)


def _sat_model(modes: dict[str, str] | None = None) -> PathModel:
    prefixes = {
        "IMAG": "imag",
        "EXPE": "expe",
        "QUAL": "qual",
        "VAL": "val",
        "SAT": "sat",
        "LOY": "loy",
    }
    sizes = {"IMAG": 5, "EXPE": 5, "QUAL": 5, "VAL": 4, "SAT": 4, "LOY": 4}
    return PathModel(
        blocks={
            lv: tuple(f"{p}{i}" for i in range(1, sizes[lv] + 1))
            for lv, p in prefixes.items()
        },
        paths=(
            ("IMAG", "EXPE"),
            ("IMAG", "SAT"),
            ("IMAG", "LOY"),
            ("EXPE", "QUAL"),
            ("EXPE", "VAL"),
            ("EXPE", "SAT"),
            ("QUAL", "VAL"),
            ("QUAL", "SAT"),
            ("VAL", "SAT"),
            ("SAT", "LOY"),
        ),
        modes=modes or {},
    )


# PLSPM-SAT satisfaction.outer-model.csv (centroid): weight, loading
SAT_OUTER_CENTROID = {
    "imag1": (0.0982418501741741, 0.70932650116601),
    "imag2": (0.157472863818056, 0.877307817983846),
    "imag3": (0.156722118194341, 0.841748537706059),
    "imag4": (0.0765758587028763, 0.569193430203468),
    "imag5": (0.184330241358762, 0.77846683251928),
    "expe1": (0.106230159251131, 0.765800562617078),
    "expe2": (0.140693124381936, 0.837418997567575),
    "expe3": (0.118783165134756, 0.759820571357087),
    "expe4": (0.0994514827286758, 0.71834524993581),
    "expe5": (0.138374378658729, 0.837276022047764),
    "qual1": (0.106606553258155, 0.781469313516066),
    "qual2": (0.134594903250232, 0.881558340214507),
    "qual3": (0.117141650592502, 0.794076151381524),
    "qual4": (0.0956184636638662, 0.788981936722486),
    "qual5": (0.115707870129084, 0.807446541109636),
    "val1": (0.174960810051613, 0.864821997997945),
    "val2": (0.11766978894579, 0.796238958208741),
    "val3": (0.1207889525664, 0.750064674608617),
    "val4": (0.16652602110192, 0.844483086242166),
    "sat1": (0.166366549374147, 0.919797990928334),
    "sat2": (0.162659797860461, 0.916030239797506),
    "sat3": (0.121091359148817, 0.825878617822696),
    "sat4": (0.132079076814512, 0.8175253352275),
    "loy1": (0.158624625826792, 0.906587085677551),
    "loy2": (0.081728096069474, 0.671101376778201),
    "loy3": (0.161664593108151, 0.904973625494352),
    "loy4": (0.0806690862675395, 0.681874238346727),
}

# PLSPM-SAT satisfaction.effects.csv: direct, indirect, total
SAT_EFFECTS = {
    "IMAG -> EXPE": (0.57895912845279, 0, 0.57895912845279),
    "IMAG -> QUAL": (0, 0.491156739303251, 0.491156739303251),
    "IMAG -> VAL": (0, 0.393411171344413, 0.393411171344413),
    "IMAG -> SAT": (0.200724200280665, 0.290246937598827, 0.490971137879492),
    "IMAG -> LOY": (0.275149575748467, 0.243266046562688, 0.518415622311155),
    "EXPE -> QUAL": (0.8483444083796, 0, 0.8483444083796),
    "EXPE -> VAL": (0.105477649519747, 0.574036934516201, 0.679514584035949),
    "EXPE -> SAT": (-0.00275399457916834, 0.504079430753709, 0.501325436174541),
    "EXPE -> LOY": (0, 0.248396387262645, 0.248396387262645),
    "QUAL -> VAL": (0.676655529105984, 0, 0.676655529105984),
    "QUAL -> SAT": (0.122144565609107, 0.398773842804961, 0.520918408414068),
    "QUAL -> LOY": (0, 0.25810429986563, 0.25810429986563),
    "VAL -> SAT": (0.589330650016017, 0, 0.589330650016017),
    "VAL -> LOY": (0, 0.292001150957277, 0.292001150957277),
    "SAT -> LOY": (0.495479322090817, 0, 0.495479322090817),
}

# PLSPM-SAT satisfaction.inner-summary.csv: R² and AVE
SAT_R2 = {
    "EXPE": 0.335193672418813,
    "QUAL": 0.719688235228933,
    "VAL": 0.59008437279849,
    "SAT": 0.707320949544597,
    "LOY": 0.509922562050087,
}
SAT_AVE = {
    "IMAG": 0.582269092760334,
    "EXPE": 0.616419883010119,
    "QUAL": 0.65857174851724,
    "VAL": 0.66441556645883,
    "SAT": 0.75889072736371,
    "LOY": 0.639051735398058,
}

# PLSPM-SAT satisfaction_unidim.csv: Cronbach's alpha (plspm: standardised),
# Dillon–Goldstein rho, first and second eigenvalue
SAT_UNIDIM = {
    "IMAG": (0.830226690205339, 0.882203311183515, 3.01780990053354, 0.777635750863909),
    "EXPE": (0.84658407892526, 0.890855432982731, 3.10231374752292, 0.610546737862663),
    "QUAL": (0.871324954769643, 0.906899737529554, 3.30598735662497, 0.567777281450322),
    "VAL": (0.835722840511797, 0.890444224132854, 2.68153094464434, 0.600684167284007),
    "SAT": (0.894010912676559, 0.926700636965068, 3.03999878726797, 0.422000089566117),
    "LOY": (0.819421641029961, 0.881371093219811, 2.60472075864966, 0.573454889436363),
}


def test_plspm_satisfaction_raw_scale_centroid(shared_data: Path) -> None:
    # given the bank example with scaled = FALSE (plspm's defaults: centroid, tol 1e-6)
    res = pls_path_model(_satisfaction(shared_data), _sat_model(), standardize=False)

    # then every published number is reproduced (plspm prints 15 significant digits)
    assert res.converged
    for lv, items in res.model.blocks.items():
        for item in items:
            weight, loading = SAT_OUTER_CENTROID[item]
            assert res.weights[lv][item] == pytest.approx(weight, abs=1e-12)
            assert res.loadings[lv][item] == pytest.approx(loading, abs=1e-12)
    for key, (direct, indirect, total) in SAT_EFFECTS.items():
        effect = res.effects[key]
        assert effect.direct == pytest.approx(direct, abs=1e-12)
        assert effect.indirect == pytest.approx(indirect, abs=1e-12)
        assert effect.total == pytest.approx(total, abs=1e-12)
    for lv, r2 in SAT_R2.items():
        assert res.r2[lv] == pytest.approx(r2, abs=1e-12)
    for lv, ave in SAT_AVE.items():
        assert res.reliability[lv].ave == pytest.approx(ave, abs=1e-12)
    for lv, (alpha, rho, eig1, eig2) in SAT_UNIDIM.items():
        block = res.reliability[lv]
        assert block.alpha_standardized == pytest.approx(alpha, abs=1e-12)
        assert block.dillon_goldstein_rho == pytest.approx(rho, abs=1e-12)
        assert block.eigenvalue_1 == pytest.approx(eig1, abs=1e-12)
        assert block.eigenvalue_2 == pytest.approx(eig2, abs=1e-12)
    assert res.gof == pytest.approx(
        0.609741624338411, abs=1e-12
    )  # test_regression_metric.py


@pytest.mark.parametrize(
    ("scheme", "expected"),
    [
        # satisfaction.outer-model-path.csv: weight, loading of imag1, val1, loy4
        (
            "path",
            {
                "imag1": (0.0982374837495072, 0.70955076789416),
                "val1": (0.172177324810643, 0.86271564077978),
                "loy4": (0.0786269581935837, 0.678814311108138),
            },
        ),
        # satisfaction.outer-model-factorial.csv
        (
            "factorial",
            {
                "imag1": (0.0982545375897477, 0.709579562555722),
                "val1": (0.174575957905234, 0.864544798086425),
                "loy4": (0.0802887089500578, 0.681305477044771),
            },
        ),
    ],
)
def test_plspm_satisfaction_other_schemes(
    shared_data: Path, scheme: str, expected: dict[str, tuple[float, float]]
) -> None:
    res = pls_path_model(
        _satisfaction(shared_data), _sat_model(), scheme=scheme, standardize=False
    )
    lv_of = {item: lv for lv, items in res.model.blocks.items() for item in items}
    for item, (weight, loading) in expected.items():
        assert res.weights[lv_of[item]][item] == pytest.approx(weight, abs=1e-12)
        assert res.loadings[lv_of[item]][item] == pytest.approx(loading, abs=1e-12)


def test_plspm_satisfaction_mode_b(shared_data: Path) -> None:
    # satisfaction.modeb.inner-summary.csv: every block Mode B, centroid, scaled = FALSE
    modes = dict.fromkeys(("IMAG", "EXPE", "QUAL", "VAL", "SAT", "LOY"), "B")
    res = pls_path_model(
        _satisfaction(shared_data), _sat_model(modes), standardize=False
    )
    expected = {
        "EXPE": 0.372046006581529,
        "QUAL": 0.722837619445379,
        "VAL": 0.614360808369793,
        "SAT": 0.732183693952877,
        "LOY": 0.539969047981518,
    }
    for lv, r2 in expected.items():
        assert res.r2[lv] == pytest.approx(r2, abs=1e-12)
    assert res.reliability["IMAG"].communality == pytest.approx(
        0.532480143903468, abs=1e-12
    )
    assert res.reliability["IMAG"].ave is None  # plspm prints NA for Mode B


def _ecsi(shared_data: Path) -> tuple[pd.DataFrame, PathModel]:
    mobi = _mobi(shared_data)
    return mobi, match_columns(ECSI_MODEL, mobi.columns)


# SMARTPLS-ECSI pathCoefficients.txt per scheme (rows from, columns to)
SMARTPLS_PATHS = {
    "centroid": {
        "Complaints -> Loyalty": 0.07123241,
        "Expectation -> Quality": 0.55724786,
        "Expectation -> Satisfaction": 0.06442534,
        "Expectation -> Value": 0.05078755,
        "Image -> Expectation": 0.50470564,
        "Image -> Loyalty": 0.19535971,
        "Image -> Satisfaction": 0.17883348,
        "Quality -> Satisfaction": 0.51254524,
        "Quality -> Value": 0.55721686,
        "Satisfaction -> Complaints": 0.52609731,
        "Satisfaction -> Loyalty": 0.48347472,
        "Value -> Satisfaction": 0.19181566,
    },
    "path": {
        "Complaints -> Loyalty": 0.06692607,
        "Expectation -> Quality": 0.55674896,
        "Expectation -> Satisfaction": 0.06252287,
        "Expectation -> Value": 0.04998839,
        "Image -> Expectation": 0.50491393,
        "Image -> Loyalty": 0.19575534,
        "Image -> Satisfaction": 0.17873950,
        "Quality -> Satisfaction": 0.51202394,
        "Quality -> Value": 0.55830438,
        "Satisfaction -> Complaints": 0.52806625,
        "Satisfaction -> Loyalty": 0.48547762,
        "Value -> Satisfaction": 0.19476510,
    },
    "factorial": {
        "Complaints -> Loyalty": 0.07031057,
        "Expectation -> Quality": 0.55675903,
        "Expectation -> Satisfaction": 0.06494365,
        "Expectation -> Value": 0.05017810,
        "Image -> Expectation": 0.50494314,
        "Image -> Loyalty": 0.19581962,
        "Image -> Satisfaction": 0.17859267,
        "Quality -> Satisfaction": 0.51297470,
        "Quality -> Value": 0.55776245,
        "Satisfaction -> Complaints": 0.52585655,
        "Satisfaction -> Loyalty": 0.48305917,
        "Value -> Satisfaction": 0.19144526,
    },
}


@pytest.mark.parametrize("scheme", ["centroid", "path", "factorial"])
def test_smartpls_ecsi_mobi_paths(shared_data: Path, scheme: str) -> None:
    mobi, model = _ecsi(shared_data)
    # SmartPLS stopped at 1e-7; iterate to the fixed point and compare at the 8 printed decimals
    res = pls_path_model(mobi, model, scheme=scheme, tol=1e-14, max_iter=500)
    for key, value in SMARTPLS_PATHS[scheme].items():
        assert res.paths[key] == pytest.approx(value, abs=5e-8)


def test_smartpls_ecsi_mobi_centroid_weights_and_total_effects(
    shared_data: Path,
) -> None:
    mobi, model = _ecsi(shared_data)
    res = pls_path_model(mobi, model, scheme="centroid", tol=1e-14, max_iter=500)
    # SMARTPLS-ECSI centroid/outerWeights.txt
    weights = {
        ("Expectation", "CUEX1"): 0.52282271,
        ("Expectation", "CUEX2"): 0.46806824,
        ("Expectation", "CUEX3"): 0.44989729,
        ("Satisfaction", "CUSA1"): 0.37718684,
        ("Satisfaction", "CUSA2"): 0.38156707,
        ("Satisfaction", "CUSA3"): 0.44105872,
        ("Complaints", "CUSCO"): 1.00000000,
        ("Loyalty", "CUSL1"): 0.45046794,
        ("Loyalty", "CUSL2"): 0.13133992,
        ("Loyalty", "CUSL3"): 0.65948149,
        ("Image", "IMAG1"): 0.29813185,
        ("Image", "IMAG2"): 0.26233656,
        ("Image", "IMAG3"): 0.21987218,
        ("Image", "IMAG4"): 0.32782296,
        ("Image", "IMAG5"): 0.32492101,
        ("Quality", "PERQ1"): 0.21364542,
        ("Quality", "PERQ2"): 0.14346701,
        ("Quality", "PERQ3"): 0.19943921,
        ("Quality", "PERQ4"): 0.17811594,
        ("Quality", "PERQ5"): 0.18083905,
        ("Quality", "PERQ6"): 0.18050324,
        ("Quality", "PERQ7"): 0.21436270,
        ("Value", "PERV1"): 0.48582034,
        ("Value", "PERV2"): 0.59776530,
    }
    for (lv, item), value in weights.items():
        assert res.weights[lv][item] == pytest.approx(value, abs=5e-8)
    # SMARTPLS-ECSI centroid/totalEffects.txt
    totals = {
        "Expectation -> Complaints": 0.22061480,
        "Expectation -> Loyalty": 0.21845628,
        "Expectation -> Satisfaction": 0.41934220,
        "Expectation -> Value": 0.36129545,
        "Image -> Complaints": 0.20542935,
        "Image -> Loyalty": 0.39877911,
        "Image -> Quality": 0.28124613,
        "Image -> Satisfaction": 0.39047785,
        "Image -> Value": 0.18234785,
        "Quality -> Complaints": 0.32587949,
        "Quality -> Loyalty": 0.32269104,
        "Quality -> Satisfaction": 0.61942817,
        "Satisfaction -> Loyalty": 0.52094990,
        "Value -> Complaints": 0.10091370,
        "Value -> Loyalty": 0.09992635,
    }
    for key, value in totals.items():
        assert res.effects[key].total == pytest.approx(value, abs=5e-8)


def test_seminr_mobi_reliability_and_path_scheme(shared_data: Path) -> None:
    mobi = _mobi(shared_data)
    model = PathModel(
        blocks={
            "Image": tuple(f"IMAG{i}" for i in range(1, 6)),
            "Expectation": ("CUEX1", "CUEX2", "CUEX3"),
            "Value": ("PERV1", "PERV2"),
            "Satisfaction": ("CUSA1", "CUSA2", "CUSA3"),
        },
        paths=(
            ("Image", "Satisfaction"),
            ("Expectation", "Satisfaction"),
            ("Value", "Satisfaction"),
        ),
    )
    res = pls_path_model(mobi, model, scheme="path", tol=1e-14, max_iter=500)
    # SEMINR inner_weights_coefficients.csv (seminr's own tests compare at 1e-5)
    assert res.path("Image", "Satisfaction") == pytest.approx(
        0.447003896753383, abs=1e-7
    )
    assert res.path("Expectation", "Satisfaction") == pytest.approx(
        0.171830104491586, abs=1e-7
    )
    assert res.path("Value", "Satisfaction") == pytest.approx(
        0.316425319256027, abs=1e-7
    )
    # SEMINR reliability.csv: alpha (standardised), rhoC, AVE, rhoA
    expected = {
        "Image": (
            0.722834595427083,
            0.818325774056256,
            0.477979834838268,
            0.745291554480322,
        ),
        "Expectation": (
            0.451902555978063,
            0.733177801505283,
            0.480507046633952,
            0.461657986928213,
        ),
        "Value": (
            0.823631979352573,
            0.917897281748515,
            0.84831067540365,
            0.857527048393235,
        ),
        "Satisfaction": (
            0.779195021918597,
            0.871457927643628,
            0.693363990925202,
            0.784023593590752,
        ),
    }
    for lv, (alpha, rho_c, ave, rho_a) in expected.items():
        block = res.reliability[lv]
        assert block.alpha_standardized == pytest.approx(alpha, abs=1e-9)
        assert block.composite_reliability == pytest.approx(rho_c, abs=1e-7)
        assert block.ave == pytest.approx(ave, abs=1e-7)
        assert block.rho_a == pytest.approx(rho_a, abs=1e-7)


def test_seminr_mobi_mode_b_quality(shared_data: Path) -> None:
    mobi = _mobi(shared_data)
    model = PathModel(
        blocks={
            "Expectation": ("CUEX1", "CUEX2", "CUEX3"),
            "Quality": tuple(f"PERQ{i}" for i in range(1, 8)),
            "Loyalty": ("CUSL1", "CUSL2", "CUSL3"),
            "Image": tuple(f"IMAG{i}" for i in range(1, 6)),
            "Complaints": ("CUSCO",),
        },
        paths=(
            ("Expectation", "Loyalty"),
            ("Quality", "Loyalty"),
            ("Image", "Expectation"),
            ("Complaints", "Loyalty"),
        ),
        modes={"Quality": "B"},
    )
    res = pls_path_model(mobi, model, scheme="path", tol=1e-14, max_iter=500)
    # plspm-python tests/data/seminr-mobi-basic-paths.csv (seminr output)
    assert res.path("Expectation", "Loyalty") == pytest.approx(
        0.124534792831633, abs=1e-6
    )
    assert res.path("Quality", "Loyalty") == pytest.approx(0.405693671851465, abs=1e-6)
    assert res.path("Image", "Expectation") == pytest.approx(
        0.512876954138615, abs=1e-6
    )
    assert res.path("Complaints", "Loyalty") == pytest.approx(
        0.176081956818542, abs=1e-6
    )
    # seminr-mobi-basic-outer-model.csv: Mode B weights (PERQ6 negative) and loadings
    assert res.weights["Quality"]["PERQ1"] == pytest.approx(0.407033650980277, abs=1e-6)
    assert res.weights["Quality"]["PERQ6"] == pytest.approx(
        -0.0862475048715799, abs=1e-6
    )
    assert res.loadings["Quality"]["PERQ6"] == pytest.approx(
        0.610190554740549, abs=1e-6
    )
    assert res.loadings["Loyalty"]["CUSL2"] == pytest.approx(
        0.205795369057261, abs=1e-6
    )
