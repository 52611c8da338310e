"""The demo catalog as plain data: what each item is, made deterministically from a random.Random.

Nothing here touches a database; catalog_writer.py inserts what this plans.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from dealerhub.core.demo import catalog_words as w

CENT = Decimal("0.01")

SERIES = {
    "MACH": "10",
    "ATT": "70",
    "SP-ENG": "60",
    "SP-HYD": "61",
    "SP-TRN": "62",
    "SP-UC": "63",
    "SP-ELE": "64",
    "SP-CAB": "65",
    "SP-GET": "66",
    "FL": "80",
    "CON": "90",
}
MACHINE_PRICES = {
    "excavator": (6_500_000, 24_000_000),
    "wheel_loader": (5_200_000, 14_000_000),
    "bulldozer": (9_800_000, 31_000_000),
    "grader": (8_600_000, 19_500_000),
}
FLUID_PACKS = (("канистра 20 л", "canister 20 l", "20升桶"), ("бочка 208 л", "drum 208 l", "208升桶"))


@dataclass
class ItemSpec:
    index: int
    code: str
    article: str
    kind: str
    group: str
    unit: str
    names: dict[str, str]
    descriptions: dict[str, str]
    base_price: Decimal
    brand: str | None = w.BRAND
    weight_kg: Decimal | None = None
    use_in_wms: bool = True
    prop: tuple[str, str] | None = None
    oem_numbers: list[tuple[str, str]] = field(default_factory=list)
    models: list[str] = field(default_factory=list)
    # Index of the original this item replaces (an aftermarket analogue) and whether it works both ways.
    analogue_of: int | None = None
    two_way: bool = False
    packagings: list[tuple[str, Decimal]] = field(default_factory=list)

    @property
    def barcode(self) -> str:
        return ean13(f"4607{self.index + 1:08d}")


@dataclass(frozen=True)
class Composition:
    machines: int
    attachments: int
    fluids: int
    consumables: int
    spare_parts: int


def composition(total: int) -> Composition:
    machines = min(len(w.MACHINE_MODELS), max(1, total // 100))
    attachments = max(1, total * 2 // 100)
    fluids = min(len(w.FLUIDS) * len(FLUID_PACKS) * 3, max(1, total // 100))
    consumables = max(1, total * 8 // 100)
    spare = total - machines - attachments - fluids - consumables
    if spare < 1:
        raise ValueError("the demo catalog needs at least 10 items")
    return Composition(machines, attachments, fluids, consumables, spare)


def plan_catalog(rng: random.Random, total: int) -> Iterator[ItemSpec]:
    """Yield `total` items: machines, attachments, fluids, consumables, then spare parts, every
    fifth of which is an aftermarket analogue of an earlier original."""
    c = composition(total)
    index = 0
    for model in w.MACHINE_MODELS[: c.machines]:
        yield _machine(rng, index, model)
        index += 1
    for _ in range(c.attachments):
        yield _attachment(rng, index)
        index += 1
    for k in range(c.fluids):
        yield _fluid(rng, index, k)
        index += 1
    for _ in range(c.consumables):
        yield _consumable(rng, index)
        index += 1
    originals: list[ItemSpec] = []
    for k in range(c.spare_parts):
        if k % 5 == 4 and originals:
            yield _aftermarket(rng, index, rng.choice(originals))
        else:
            spec = _spare_part(rng, index)
            originals.append(spec)
            yield spec
        index += 1


def _machine(rng: random.Random, index: int, model: tuple[str, str, str, str, str]) -> ItemSpec:
    name, machine_type, ru, en, zh = model
    lo, hi = MACHINE_PRICES[machine_type]
    return ItemSpec(
        index=index,
        code=_code(index),
        article=f"SL{SERIES['MACH']}-{name}",
        kind="machine",
        group=w.MACHINE_GROUP[machine_type],
        unit="pcs",
        names={
            "ru": f"{ru} {w.BRAND} {name}",
            "en": f"{w.BRAND} {name} {en.lower()}",
            "zh": f"{w.BRAND_ZH} {name} {zh}",
        },
        descriptions={
            "ru": f"{ru} {w.BRAND} {name} в базовой комплектации.",
            "en": f"{en} in its standard configuration.",
            "zh": f"{zh}标准配置。",
        },
        base_price=Decimal(rng.randrange(lo, hi, 10_000)),
        weight_kg=Decimal(rng.randrange(5_000_000, 36_000_000, 1000)).scaleb(-3),
    )


def _attachment(rng: random.Random, index: int) -> ItemSpec:
    t = rng.choice(w.ATTACHMENTS)
    model = rng.choice(w.MACHINE_MODELS)[0]
    prop = ("capacity", f"{rng.randrange(3, 40) / 10:.1f}") if t.prop == "capacity" else None
    size = f" {prop[1]} м³" if prop else ""
    return _from_template(
        rng,
        index,
        t,
        names={
            "ru": f"{t.ru}{size} для {model}",
            "en": f"{t.en}{size.replace('м³', 'm3')} for {model}",
            "zh": f"{model} {t.zh}{size.replace('м³', '立方米')}",
        },
        descriptions=_fits_description([model]),
        prop=prop,
        models=[model],
    )


def _fluid(rng: random.Random, index: int, k: int) -> ItemSpec:
    t = w.FLUIDS[k % len(w.FLUIDS)]
    pack_ru, pack_en, pack_zh = FLUID_PACKS[(k // len(w.FLUIDS)) % len(FLUID_PACKS)]
    viscosity = w.VISCOSITY.get(t.group)
    prop = ("viscosity", t.en.split()[-1]) if viscosity else None
    amount = Decimal(pack_en.split()[1])
    return _from_template(
        rng,
        index,
        t,
        weighted=False,
        names={"ru": f"{t.ru}, {pack_ru}", "en": f"{t.en}, {pack_en}", "zh": f"{t.zh}，{pack_zh}"},
        descriptions={
            "ru": "Сервисная жидкость, допущенная заводом для техники Shanlin.",
            "en": "Service fluid approved by the factory for Shanlin machines.",
            "zh": f"{w.BRAND_ZH}设备原厂认可油液。",
        },
        prop=prop,
        packagings=[(pack_ru, amount)],
    )


def _consumable(rng: random.Random, index: int) -> ItemSpec:
    t = rng.choice(w.CONSUMABLES)
    prop = _prop_value(rng, t.prop)
    suffix = f" {_shown(prop)}" if prop else ""
    return _from_template(
        rng,
        index,
        t,
        names={"ru": f"{t.ru}{suffix}", "en": f"{t.en}{suffix}", "zh": f"{t.zh}{suffix}"},
        descriptions={"ru": "", "en": "", "zh": ""},
        prop=prop,
    )


def _spare_part(rng: random.Random, index: int) -> ItemSpec:
    t = rng.choice(w.SPARE_PARTS)
    models = sorted(rng.sample([m[0] for m in w.MACHINE_MODELS], rng.randint(1, 3)))
    prop = _prop_value(rng, t.prop)
    suffix = f", {prop[1]}" if prop and prop[0] in ("thread", "voltage") else ""
    oem = [_oem_number(rng) for _ in range(rng.randint(1, 2))] if t.oem else []
    return _from_template(
        rng,
        index,
        t,
        names={
            "ru": f"{t.ru} {models[0]}{suffix}",
            "en": f"{t.en} {models[0]}{suffix}",
            "zh": f"{models[0]} {t.zh}{suffix}",
        },
        descriptions=_fits_description(models),
        prop=prop,
        oem_numbers=oem,
        models=models,
    )


def _from_template(
    rng: random.Random, index: int, t: w.Template, *, weighted: bool = True, **rest: object
) -> ItemSpec:
    """An item made from a catalog template: code, article, kind, group and unit from the template;
    then its price and (if weighted) its weight are drawn, in that order, so seeds stay stable."""
    price = _price(rng, t)
    weight = _weight(rng, t) if weighted else None
    return ItemSpec(
        index=index,
        code=_code(index),
        article=_article(t.group, index),
        kind=t.kind,
        group=t.group,
        unit=t.unit,
        base_price=price,
        weight_kg=weight,
        **rest,  # type: ignore[arg-type]
    )


def _aftermarket(rng: random.Random, index: int, original: ItemSpec) -> ItemSpec:
    brand, _country, prefix = rng.choice(w.AFTERMARKET_BRANDS)
    share = Decimal(rng.randrange(55, 90)) / 100
    return ItemSpec(
        index=index,
        code=_code(index),
        article=f"{prefix}-{index + 1:06d}",
        kind=original.kind,
        group=original.group,
        unit=original.unit,
        brand=brand,
        names={lang: f"{name} ({brand})" for lang, name in original.names.items()},
        descriptions={
            "ru": f"Аналог {original.article} производства {brand}.",
            "en": f"{brand} replacement for {original.article}.",
            "zh": f"{brand} 替代 {original.article}。",
        },
        base_price=max(CENT, (original.base_price * share).quantize(CENT)),
        weight_kg=original.weight_kg,
        prop=original.prop,
        oem_numbers=[(original.article, w.BRAND)],
        models=list(original.models),
        analogue_of=original.index,
        two_way=rng.random() < 0.4,
    )


def _fits_description(models: list[str]) -> dict[str, str]:
    fits = ", ".join(models)
    return {
        "ru": f"Оригинальная запасная часть {w.BRAND}. Применяется: {fits}.",
        "en": f"Genuine {w.BRAND} part. Fits: {fits}.",
        "zh": f"{w.BRAND_ZH}原厂配件。适用机型：{fits}。",
    }


def _shown(prop: tuple[str, str]) -> str:
    code, value = prop
    return {"diameter": f"Ø{value}", "length": f"L={value}"}.get(code, value)


def _prop_value(rng: random.Random, prop: str | None) -> tuple[str, str] | None:
    if prop == "thread":
        return prop, rng.choice(w.THREADS)
    if prop == "diameter":
        return prop, str(rng.randrange(8, 320))
    if prop == "length":
        return prop, str(rng.randrange(200, 4000, 50))
    if prop == "voltage":
        return prop, rng.choice(("12", "24"))
    return None


def _oem_number(rng: random.Random) -> tuple[str, str]:
    maker = rng.choice(w.OEM_MAKERS)
    if maker == "Weichai":
        return f"61{rng.randrange(10**10):010d}", maker
    if maker == "Yuchai":
        return f"J{rng.randrange(1000, 9999)}-{rng.randrange(10**7):07d}", maker
    if maker == "Cummins":
        return str(rng.randint(3_000_000, 5_999_999)), maker
    if maker == "Kawasaki":
        return f"K{rng.randrange(10000, 99999)}-{rng.randrange(100, 999)}", maker
    return f"{rng.randrange(100_000_000, 999_999_999)}", maker


def _price(rng: random.Random, t: w.Template) -> Decimal:
    lo, hi = t.price
    return Decimal(rng.randrange(lo, hi + 1, 10))


def _weight(rng: random.Random, t: w.Template) -> Decimal:
    lo, hi = t.weight
    return Decimal(rng.randint(int(lo * 1000), int(hi * 1000))).scaleb(-3)


def _code(index: int) -> str:
    return f"SH-{index + 1:06d}"


def _article(group: str, index: int) -> str:
    series = SERIES.get(group) or SERIES.get(group.rsplit("-", 1)[0]) or SERIES[group.split("-")[0]]
    return f"SL{series}-{index + 1:06d}"


def ean13(twelve: str) -> str:
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(twelve))
    return twelve + str((10 - total % 10) % 10)
