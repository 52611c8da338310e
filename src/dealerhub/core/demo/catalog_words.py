
"""The demo catalog's vocabulary: the brand, its machine models, the item-group tree and the
templates spare parts, attachments, fluids and consumables are made from (names in ru, en, zh)."""

from __future__ import annotations

from dataclasses import dataclass

BRAND = "Shanlin"
BRAND_ZH = "山林"
BRAND_COUNTRY = "CN"
# Aftermarket brands whose parts are analogues of the originals: (name, country, article prefix).
AFTERMARKET_BRANDS = (
    ("NordFilter", "RU", "NF"),
    ("Hengda Parts", "CN", "HD"),
    ("Kama Hydraulics", "RU", "KH"),
    ("Baltic Seal", "RU", "BS"),
    ("TianLi", "CN", "TL"),
)
# Makers whose numbers appear as OEM numbers of engine and hydraulic parts.
OEM_MAKERS = ("Weichai", "Yuchai", "Cummins", "Kawasaki", "Shanlin")

UNITS = (
    # code, precision, ru, en, zh
    ("pcs", 0, "шт", "pcs", "件"),
    ("l", 3, "л", "l", "升"),
    ("kg", 3, "кг", "kg", "公斤"),
    ("m", 2, "м", "m", "米"),
    ("set", 0, "компл", "set", "套"),
)

MACHINE_MODELS = (
    # name, machine_type, ru kind, en kind, zh kind
    ("SE60", "excavator", "Экскаватор", "Excavator", "挖掘机"),
    ("SE135", "excavator", "Экскаватор", "Excavator", "挖掘机"),
    ("SE215", "excavator", "Экскаватор", "Excavator", "挖掘机"),
    ("SE365", "excavator", "Экскаватор", "Excavator", "挖掘机"),
    ("SL936", "wheel_loader", "Фронтальный погрузчик", "Wheel loader", "轮式装载机"),
    ("SL956", "wheel_loader", "Фронтальный погрузчик", "Wheel loader", "轮式装载机"),
    ("SL968", "wheel_loader", "Фронтальный погрузчик", "Wheel loader", "轮式装载机"),
    ("SD16", "bulldozer", "Бульдозер", "Bulldozer", "推土机"),
    ("SD22", "bulldozer", "Бульдозер", "Bulldozer", "推土机"),
    ("SD32", "bulldozer", "Бульдозер", "Bulldozer", "推土机"),
    ("SG165", "grader", "Автогрейдер", "Motor grader", "平地机"),
    ("SG215", "grader", "Автогрейдер", "Motor grader", "平地机"),
)
MACHINE_GROUP = {"excavator": "MACH-EXC", "wheel_loader": "MACH-WL", "bulldozer": "MACH-DOZ", "grader": "MACH-GRD"}

# code, parent code, ru, en, zh, use in WMS. Machines are in the WMS too, kept by serial number.
GROUPS = (
    ("MACH", None, "Техника", "Machinery", "机械设备", True),
    ("MACH-EXC", "MACH", "Экскаваторы", "Excavators", "挖掘机", True),
    ("MACH-WL", "MACH", "Фронтальные погрузчики", "Wheel loaders", "轮式装载机", True),
    ("MACH-DOZ", "MACH", "Бульдозеры", "Bulldozers", "推土机", True),
    ("MACH-GRD", "MACH", "Автогрейдеры", "Motor graders", "平地机", True),
    ("ATT", None, "Навесное оборудование", "Attachments", "属具", True),
    ("ATT-BKT", "ATT", "Ковши", "Buckets", "铲斗", True),
    ("ATT-HAM", "ATT", "Гидромолоты", "Hydraulic hammers", "液压锤", True),
    ("ATT-FRK", "ATT", "Вилы и захваты", "Forks and grabs", "叉和抓具", True),
    ("SP", None, "Запасные части", "Spare parts", "配件", True),
    ("SP-ENG", "SP", "Двигатель", "Engine", "发动机", True),
    ("SP-ENG-FLT", "SP-ENG", "Фильтры", "Filters", "滤清器", True),
    ("SP-ENG-GSK", "SP-ENG", "Прокладки двигателя", "Engine gaskets", "发动机垫片", True),
    ("SP-ENG-CYL", "SP-ENG", "Цилиндропоршневая группа", "Cylinders and pistons", "缸套活塞", True),
    ("SP-ENG-FUEL", "SP-ENG", "Топливная система", "Fuel system", "燃油系统", True),
    ("SP-ENG-COOL", "SP-ENG", "Система охлаждения", "Cooling system", "冷却系统", True),
    ("SP-HYD", "SP", "Гидравлика", "Hydraulics", "液压系统", True),
    ("SP-HYD-PMP", "SP-HYD", "Насосы и гидромоторы", "Pumps and motors", "泵和马达", True),
    ("SP-HYD-CYL", "SP-HYD", "Гидроцилиндры", "Hydraulic cylinders", "油缸", True),
    ("SP-HYD-SEAL", "SP-HYD", "Уплотнения гидравлики", "Hydraulic seals", "液压密封件", True),
    ("SP-HYD-HOSE", "SP-HYD", "РВД и фитинги", "Hoses and fittings", "高压胶管和接头", True),
    ("SP-TRN", "SP", "Трансмиссия", "Transmission", "传动系统", True),
    ("SP-UC", "SP", "Ходовая часть", "Undercarriage", "底盘", True),
    ("SP-ELE", "SP", "Электрооборудование", "Electrical", "电气系统", True),
    ("SP-CAB", "SP", "Кабина", "Cab", "驾驶室", True),
    ("SP-GET", "SP", "Зубья и ножи", "Ground engaging tools", "斗齿和刀板", True),
    ("FL", None, "Технические жидкости", "Fluids", "油液", True),
    ("FL-EO", "FL", "Моторные масла", "Engine oils", "机油", True),
    ("FL-HO", "FL", "Гидравлические масла", "Hydraulic oils", "液压油", True),
    ("FL-TO", "FL", "Трансмиссионные масла", "Transmission oils", "齿轮油", True),
    ("FL-CL", "FL", "Охлаждающие жидкости", "Coolants", "冷却液", True),
    ("FL-GR", "FL", "Смазки", "Greases", "润滑脂", True),
    ("CON", None, "Расходные материалы", "Consumables", "耗材", True),
    ("CON-FST", "CON", "Крепёж", "Fasteners", "紧固件", True),
    ("CON-CHEM", "CON", "Герметики и химия", "Sealants and chemicals", "密封胶和化学品", True),
    ("CON-HOSE", "CON", "Шланги на метраж", "Hose by the metre", "散装软管", True),
    ("CON-KIT", "CON", "Комплекты ТО", "Service kits", "保养套件", True),
)

PROPERTIES = (
    # code, ru, en, zh, unit
    ("diameter", "Диаметр", "Diameter", "直径", "mm"),
    ("length", "Длина", "Length", "长度", "mm"),
    ("thread", "Резьба", "Thread", "螺纹", None),
    ("viscosity", "Вязкость", "Viscosity", "粘度", None),
    ("voltage", "Напряжение", "Voltage", "电压", "V"),
    ("capacity", "Объём ковша", "Bucket capacity", "斗容", "m3"),
)


@dataclass(frozen=True)
class Template:
    """One kind of thing in the catalog; items are made from it with a model and a variant."""

    group: str
    kind: str
    unit: str
    ru: str
    en: str
    zh: str
    price: tuple[int, int]  # roubles, low and high
    weight: tuple[float, float] = (0.1, 5.0)  # kg (turned into exact decimals)
    prop: str | None = None
    oem: bool = False  # carries engine or hydraulic makers' numbers


def _t(group: str, ru: str, en: str, zh: str, price: tuple[int, int], **kw: object) -> Template:
    kw.setdefault("kind", "spare_part")
    kw.setdefault("unit", "pcs")
    return Template(group=group, ru=ru, en=en, zh=zh, price=price, **kw)  # type: ignore[arg-type]


SPARE_PARTS = (
    _t("SP-ENG-FLT", "Фильтр масляный", "Oil filter", "机油滤清器", (900, 4500), prop="thread", oem=True),
    _t("SP-ENG-FLT", "Фильтр топливный тонкой очистки", "Fuel filter, fine", "柴油精滤器", (1100, 5200), prop="thread", oem=True),
    _t("SP-ENG-FLT", "Фильтр-сепаратор топливный", "Fuel water separator", "油水分离器", (1800, 7600), oem=True),
    _t("SP-ENG-FLT", "Фильтр воздушный наружный", "Air filter, outer", "空气滤芯外", (2400, 11800), prop="diameter", oem=True),
    _t("SP-ENG-FLT", "Фильтр воздушный внутренний", "Air filter, inner", "空气滤芯内", (1500, 6900), prop="diameter", oem=True),
    _t("SP-ENG-FLT", "Фильтр гидравлический возвратный", "Hydraulic return filter", "液压回油滤芯", (2600, 14500), oem=True),
    _t("SP-ENG-GSK", "Прокладка ГБЦ", "Cylinder head gasket", "缸盖垫", (2100, 9800), oem=True),
    _t("SP-ENG-GSK", "Прокладка клапанной крышки", "Valve cover gasket", "气门室罩垫", (450, 2300), oem=True),
    _t("SP-ENG-GSK", "Комплект прокладок двигателя", "Engine gasket set", "发动机修理包", (9000, 38000), unit="set", oem=True),
    _t("SP-ENG-CYL", "Поршень", "Piston", "活塞", (6500, 24000), prop="diameter", oem=True),
    _t("SP-ENG-CYL", "Гильза цилиндра", "Cylinder liner", "缸套", (5200, 19000), prop="diameter", oem=True),
    _t("SP-ENG-CYL", "Кольца поршневые", "Piston ring set", "活塞环", (2300, 8800), unit="set", oem=True),
    _t("SP-ENG-CYL", "Вкладыши коренные", "Main bearing set", "主轴瓦", (3800, 15500), unit="set", oem=True),
    _t("SP-ENG-FUEL", "Форсунка топливная", "Fuel injector", "喷油器", (14000, 62000), oem=True),
    _t("SP-ENG-FUEL", "ТНВД", "Fuel injection pump", "喷油泵", (95000, 410000), weight=(8, 25), oem=True),
    _t("SP-ENG-FUEL", "Насос подкачки топлива", "Fuel feed pump", "输油泵", (4800, 21000), oem=True),
    _t("SP-ENG-COOL", "Радиатор водяной", "Water radiator", "水箱散热器", (48000, 210000), weight=(15, 60)),
    _t("SP-ENG-COOL", "Помпа водяная", "Water pump", "水泵", (9500, 42000), weight=(3, 9), oem=True),
    _t("SP-ENG-COOL", "Термостат", "Thermostat", "节温器", (1300, 5400), oem=True),
    _t("SP-ENG-COOL", "Ремень вентилятора", "Fan belt", "风扇皮带", (900, 4200), prop="length"),
    _t("SP-HYD-PMP", "Насос гидравлический основной", "Main hydraulic pump", "主泵", (380000, 1450000), weight=(60, 180), oem=True),
    _t("SP-HYD-PMP", "Гидромотор хода", "Travel motor", "行走马达", (290000, 980000), weight=(80, 220), oem=True),
    _t("SP-HYD-PMP", "Гидромотор поворота", "Swing motor", "回转马达", (210000, 760000), weight=(50, 160), oem=True),
    _t("SP-HYD-PMP", "Насос шестерённый", "Gear pump", "齿轮泵", (32000, 140000), weight=(6, 20), oem=True),
    _t("SP-HYD-CYL", "Гидроцилиндр стрелы", "Boom cylinder", "动臂油缸", (160000, 520000), weight=(90, 260)),
    _t("SP-HYD-CYL", "Гидроцилиндр рукояти", "Arm cylinder", "斗杆油缸", (150000, 480000), weight=(80, 240)),
    _t("SP-HYD-CYL", "Гидроцилиндр ковша", "Bucket cylinder", "铲斗油缸", (120000, 390000), weight=(60, 180)),
    _t("SP-HYD-SEAL", "Ремкомплект гидроцилиндра", "Cylinder seal kit", "油缸密封包", (3200, 16500), unit="set", oem=True),
    _t("SP-HYD-SEAL", "Кольцо уплотнительное", "O-ring", "O型圈", (60, 650), prop="diameter", weight=(0.01, 0.1)),
    _t("SP-HYD-SEAL", "Манжета штока", "Rod seal", "活塞杆密封", (450, 3800), prop="diameter", weight=(0.02, 0.3)),
    _t("SP-HYD-HOSE", "РВД в сборе", "Hydraulic hose assembly", "高压胶管总成", (2800, 19000), prop="length"),
    _t("SP-HYD-HOSE", "Фитинг гидравлический", "Hydraulic fitting", "液压接头", (350, 2600), prop="thread", weight=(0.05, 0.6)),
    _t("SP-TRN", "Диск фрикционный", "Friction disc", "摩擦片", (2600, 11000), oem=True),
    _t("SP-TRN", "Гидротрансформатор", "Torque converter", "液力变矩器", (240000, 690000), weight=(60, 140)),
    _t("SP-TRN", "Вал карданный", "Drive shaft", "传动轴", (38000, 125000), weight=(20, 70)),
    _t("SP-TRN", "Редуктор бортовой", "Final drive", "终传动", (420000, 1250000), weight=(150, 420)),
    _t("SP-UC", "Каток опорный", "Track roller", "支重轮", (14000, 52000), weight=(25, 60)),
    _t("SP-UC", "Каток поддерживающий", "Carrier roller", "托链轮", (9000, 31000), weight=(12, 30)),
    _t("SP-UC", "Звёздочка ведущая", "Drive sprocket", "驱动齿", (26000, 98000), weight=(40, 110)),
    _t("SP-UC", "Цепь гусеничная в сборе", "Track chain assembly", "链轨总成", (190000, 640000), weight=(600, 1900)),
    _t("SP-UC", "Башмак гусеничный", "Track shoe", "履带板", (5200, 16000), weight=(20, 45)),
    _t("SP-ELE", "Стартер", "Starter motor", "起动机", (28000, 96000), prop="voltage", weight=(8, 16), oem=True),
    _t("SP-ELE", "Генератор", "Alternator", "发电机", (26000, 88000), prop="voltage", weight=(6, 14), oem=True),
    _t("SP-ELE", "Датчик давления масла", "Oil pressure sensor", "机油压力传感器", (1900, 9800), oem=True),
    _t("SP-ELE", "Реле стартера", "Starter relay", "起动继电器", (600, 3400), prop="voltage"),
    _t("SP-ELE", "Контроллер", "Controller", "控制器", (85000, 320000), weight=(1, 4)),
    _t("SP-CAB", "Стекло лобовое", "Windscreen", "前挡风玻璃", (14000, 46000), weight=(10, 25)),
    _t("SP-CAB", "Сиденье оператора", "Operator seat", "司机座椅", (38000, 120000), weight=(25, 45)),
    _t("SP-CAB", "Джойстик", "Joystick", "操纵手柄", (18000, 64000)),
    _t("SP-GET", "Зуб ковша", "Bucket tooth", "斗齿", (1400, 6800), weight=(3, 12)),
    _t("SP-GET", "Коронка ковша", "Tooth adapter", "齿座", (3800, 14000), weight=(6, 20)),
    _t("SP-GET", "Нож отвала", "Cutting edge", "刀板", (9500, 42000), prop="length", weight=(30, 90)),
)

ATTACHMENTS = (
    _t("ATT-BKT", "Ковш общего назначения", "General purpose bucket", "标准斗", (180000, 690000), kind="attachment", prop="capacity", weight=(400, 1800)),
    _t("ATT-BKT", "Ковш скальный", "Rock bucket", "岩石斗", (260000, 890000), kind="attachment", prop="capacity", weight=(600, 2200)),
    _t("ATT-BKT", "Ковш планировочный", "Ditch cleaning bucket", "清沟斗", (150000, 420000), kind="attachment", prop="capacity", weight=(300, 1200)),
    _t("ATT-HAM", "Гидромолот", "Hydraulic hammer", "液压破碎锤", (420000, 1900000), kind="attachment", weight=(500, 2500)),
    _t("ATT-FRK", "Вилы паллетные", "Pallet forks", "货叉", (160000, 380000), kind="attachment", weight=(300, 900)),
    _t("ATT-FRK", "Захват для брёвен", "Log grapple", "抓木器", (280000, 760000), kind="attachment", weight=(500, 1400)),
)

FLUIDS = (
    _t("FL-EO", "Масло моторное Shanlin Power 15W-40", "Engine oil Shanlin Power 15W-40", "山林动力机油 15W-40", (320, 560), kind="fluid", unit="l", prop="viscosity"),
    _t("FL-EO", "Масло моторное Shanlin Power 10W-40", "Engine oil Shanlin Power 10W-40", "山林动力机油 10W-40", (360, 620), kind="fluid", unit="l", prop="viscosity"),
    _t("FL-HO", "Масло гидравлическое HVLP 46", "Hydraulic oil HVLP 46", "抗磨液压油 HVLP 46", (240, 420), kind="fluid", unit="l", prop="viscosity"),
    _t("FL-HO", "Масло гидравлическое HVLP 32 (зимнее)", "Hydraulic oil HVLP 32 (winter)", "低温液压油 HVLP 32", (260, 450), kind="fluid", unit="l", prop="viscosity"),
    _t("FL-TO", "Масло трансмиссионное 80W-90", "Gear oil 80W-90", "齿轮油 80W-90", (290, 510), kind="fluid", unit="l", prop="viscosity"),
    _t("FL-CL", "Антифриз -40", "Coolant -40", "防冻液 -40", (160, 290), kind="fluid", unit="l"),
    _t("FL-GR", "Смазка литиевая EP2", "Lithium grease EP2", "锂基润滑脂 EP2", (420, 880), kind="fluid", unit="kg"),
)

CONSUMABLES = (
    _t("CON-FST", "Болт", "Bolt", "螺栓", (45, 650), kind="consumable", prop="thread", weight=(0.02, 0.8)),
    _t("CON-FST", "Гайка", "Nut", "螺母", (15, 240), kind="consumable", prop="thread", weight=(0.01, 0.3)),
    _t("CON-FST", "Шайба", "Washer", "垫圈", (5, 90), kind="consumable", prop="diameter", weight=(0.005, 0.1)),
    _t("CON-CHEM", "Герметик силиконовый", "Silicone sealant", "硅酮密封胶", (380, 1200), kind="consumable", weight=(0.1, 0.4)),
    _t("CON-CHEM", "Очиститель тормозов", "Brake cleaner", "制动清洗剂", (240, 560), kind="consumable", weight=(0.4, 0.6)),
    _t("CON-HOSE", "Рукав высокого давления (на метраж)", "High-pressure hose (by the metre)", "高压软管（按米）", (650, 3200), kind="consumable", unit="m", prop="diameter"),
    _t("CON-KIT", "Комплект ТО-250", "Service kit 250 h", "250小时保养套件", (9000, 32000), kind="consumable", unit="set"),
    _t("CON-KIT", "Комплект ТО-500", "Service kit 500 h", "500小时保养套件", (16000, 54000), kind="consumable", unit="set"),
)

THREADS = ("M10x1.25", "M12x1.5", "M14x1.5", "M16x1.5", "M18x1.5", "M20x1.5", "M22x1.5", "M24x2", "3/4-16 UNF", "1-12 UN")
VISCOSITY = {"FL-EO": ("15W-40", "10W-40"), "FL-HO": ("HVLP 46", "HVLP 32"), "FL-TO": ("80W-90",)}
PACKAGINGS = {"l": (("канистра 20 л", "20"), ("бочка 208 л", "208")), "kg": (("ведро 18 кг", "18"),)}
