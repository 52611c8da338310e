
"""The demo's people and places: warehouses, regions, dealers' names, banks, Chinese suppliers, staff."""

from __future__ import annotations

# code, name, kind, WMS code, address. Only the main and regional warehouses are run by the WMS.
WAREHOUSES = (
    ("MSK", "Москва, центральный склад", "main", "MSK01", "Московская обл., г. Домодедово, ул. Логистическая, 1"),
    ("EKB", "Екатеринбург, региональный склад", "regional", "EKB01", "г. Екатеринбург, ул. Монтажников, 12"),
    ("NSK", "Новосибирск, региональный склад", "regional", "NSK01", "г. Новосибирск, ул. Станционная, 60"),
    ("KRD", "Краснодар, региональный склад", "regional", "KRD01", "г. Краснодар, ул. Уральская, 104"),
    ("TRANSIT", "Товары в пути (Китай — Россия)", "transit", None, None),
    ("DEFECT", "Склад брака", "defect", None, "Московская обл., г. Домодедово, ул. Логистическая, 1"),
    ("LOSS", "Потери и недостачи", "loss", None, None),
)

# region, city, tax region code (the INN's first two digits), nearest regional warehouse
REGIONS = (
    ("Москва", "Москва", "77", "MSK"),
    ("Московская область", "Подольск", "50", "MSK"),
    ("Санкт-Петербург", "Санкт-Петербург", "78", "MSK"),
    ("Свердловская область", "Екатеринбург", "66", "EKB"),
    ("Челябинская область", "Челябинск", "74", "EKB"),
    ("Пермский край", "Пермь", "59", "EKB"),
    ("Тюменская область", "Тюмень", "72", "EKB"),
    ("Башкортостан", "Уфа", "02", "EKB"),
    ("Новосибирская область", "Новосибирск", "54", "NSK"),
    ("Красноярский край", "Красноярск", "24", "NSK"),
    ("Иркутская область", "Иркутск", "38", "NSK"),
    ("Кемеровская область", "Кемерово", "42", "NSK"),
    ("Омская область", "Омск", "55", "NSK"),
    ("Алтайский край", "Барнаул", "22", "NSK"),
    ("Якутия", "Якутск", "14", "NSK"),
    ("Приморский край", "Владивосток", "25", "NSK"),
    ("Хабаровский край", "Хабаровск", "27", "NSK"),
    ("Краснодарский край", "Краснодар", "23", "KRD"),
    ("Ростовская область", "Ростов-на-Дону", "61", "KRD"),
    ("Волгоградская область", "Волгоград", "34", "KRD"),
    ("Ставропольский край", "Ставрополь", "26", "KRD"),
    ("Воронежская область", "Воронеж", "36", "MSK"),
    ("Нижегородская область", "Нижний Новгород", "52", "MSK"),
    ("Татарстан", "Казань", "16", "MSK"),
    ("Самарская область", "Самара", "63", "MSK"),
    ("Мурманская область", "Мурманск", "51", "MSK"),
)

DEALER_STEMS = (
    "Сиб", "Урал", "Юг", "Волга", "Дон", "Кама", "Енисей", "Байкал", "Амур", "Север", "Центр", "Алтай",
    "Саян", "Ока", "Нева", "Тайга",
)
DEALER_ENDINGS = ("ТехМаш", "СпецТехника", "ТехСнаб", "Запчасть", "МашСервис", "СтройТех", "ГидроМаш", "ДорТехника")
LEGAL_SUFFIXES = ("", " Сервис", " Трейд", " Логистик")

SURNAMES = ("Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Михайлов", "Новиков", "Фёдоров",
            "Морозов", "Волков", "Алексеев", "Лебедев", "Семёнов", "Егоров", "Павлов", "Козлов", "Степанов", "Никитин")
FIRST_NAMES = ("Александр", "Сергей", "Дмитрий", "Андрей", "Алексей", "Максим", "Евгений", "Иван", "Михаил", "Николай")
PATRONYMICS = ("Александрович", "Сергеевич", "Дмитриевич", "Андреевич", "Викторович", "Петрович", "Иванович", "Олегович")
STREETS = ("ул. Промышленная", "ул. Заводская", "ш. Энтузиастов", "ул. Индустриальная", "пр-т Мира", "ул. Строителей",
           "ул. Транспортная", "ул. Складская")

# bank name, BIK (its last three digits feed the account keys); numbers are made up but pass the CB key check.
BANKS = (
    ("ПАО Сбербанк", "044525225"),
    ("Банк ВТБ (ПАО)", "044525187"),
    ("АО «Альфа-Банк»", "044525593"),
    ("ПАО «Промсвязьбанк»", "044525555"),
    ("АО «Райффайзенбанк»", "044525700"),
    ("ПАО Банк «ФК Открытие»", "044525985"),
)

# Chinese factories the distributor buys from: partner name, contractor (legal) name, address.
SUPPLIERS = (
    ("Shanlin Heavy Industry", "Shanlin Heavy Industry Co., Ltd.", "No. 18 Gongye Road, Xuzhou, Jiangsu, China"),
    ("Hengda Hydraulic", "Jiangsu Hengda Hydraulic Co., Ltd.", "No. 6 Taihu Avenue, Changzhou, Jiangsu, China"),
    ("Weili Filter", "Shandong Weili Filter Co., Ltd.", "No. 99 Jingshi Road, Jinan, Shandong, China"),
    ("Lubetech", "Guangzhou Lubetech Co., Ltd.", "No. 233 Huangpu East Road, Guangzhou, Guangdong, China"),
)

# login, password, role, full name, e-mail. Demo passwords: printed by the seed, listed in the README.
STAFF = (
    ("admin", "admin", "administrator", "Администратор системы", "admin@dealerhub.example"),
    ("manager", "manager", "sales_manager", "Ольга Соколова", "o.sokolova@dealerhub.example"),
    ("manager2", "manager2", "sales_manager", "Артём Кузнецов", "a.kuznetsov@dealerhub.example"),
    ("purchaser", "purchaser", "purchaser", "Дмитрий Лебедев", "d.lebedev@dealerhub.example"),
    ("storekeeper", "storekeeper", "storekeeper_supervisor", "Игорь Волков", "i.volkov@dealerhub.example"),
)

# price type code, name, is base, the share of the base price it sells at
PRICE_TYPES = (
    ("retail", "Розничная (базовая)", True, "1"),
    ("dealer_1", "Дилерская, уровень 1", False, "0.78"),
    ("dealer_2", "Дилерская, уровень 2", False, "0.83"),
    ("dealer_3", "Дилерская, уровень 3", False, "0.88"),
)
