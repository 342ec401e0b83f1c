"""Vocabularies for the synthetic landing-zone generator (names, places, products, codes).

Plain data only: the generator indexes these tuples with numpy arrays of codes.
"""

from __future__ import annotations

import unicodedata

# --- countries ---------------------------------------------------------------------------------
# code, share of customers, currency, calling code, UTC offset (hours), locale, languages
COUNTRIES: tuple[tuple[str, float, str, str, int, str, tuple[str, ...]], ...] = (
    ("VN", 0.80, "VND", "84", 7, "vi-VN", ("vi", "vi-VN", "vi", "en")),
    ("SG", 0.04, "SGD", "65", 8, "en-SG", ("en", "en-SG", "zh")),
    ("TH", 0.03, "THB", "66", 7, "th-TH", ("th", "th-TH", "en")),
    ("US", 0.04, "USD", "1", -5, "en-US", ("en-US", "en")),
    ("GB", 0.02, "GBP", "44", 0, "en-GB", ("en-GB", "en")),
    ("DE", 0.02, "EUR", "49", 1, "de-DE", ("de", "de-DE", "en")),
    ("JP", 0.02, "JPY", "81", 9, "ja-JP", ("ja", "ja-JP")),
    ("AU", 0.02, "AUD", "61", 10, "en-AU", ("en-AU", "en")),
    ("FR", 0.01, "EUR", "33", 1, "fr-FR", ("fr", "fr-FR", "en")),
)
# national-number prefix (before the 7 unique digits) per country; VN mobiles pick one of many
VN_MOBILE_PREFIXES = (
    "90", "91", "93", "94", "96", "97", "98", "86", "88", "89", "32", "33", "34", "35",
    "36", "37", "38", "39", "70", "76", "77", "78", "79", "81", "82", "83", "84", "85",
)  # fmt: skip
INTL_PHONE_PREFIX = {
    "SG": "8", "TH": "81", "US": "415", "GB": "770", "DE": "171", "JP": "901", "AU": "41",
    "FR": "61",
}  # fmt: skip

CURRENCIES = ("USD", "VND", "SGD", "THB", "EUR", "JPY", "GBP", "AUD")
# USD per unit at the start of the span, daily volatility of the log rate
FX_BASE = (1.0, 1 / 24350.0, 0.742, 0.0281, 1.085, 0.00672, 1.268, 0.661)
FX_VOL = (0.0, 0.0012, 0.0025, 0.003, 0.0035, 0.0045, 0.0035, 0.0045)

# --- cities: name variants (first is canonical), region, postal, lat, lon, country, weight -----
CITIES: tuple[tuple[tuple[str, ...], str, str, float, float, str, float], ...] = (
    (("Hồ Chí Minh", "TP. Hồ Chí Minh", "Ho Chi Minh City", "HCMC"), "Đông Nam Bộ", "700000",
     10.7769, 106.7009, "VN", 0.33),
    (("Hà Nội", "Ha Noi", "Hanoi"), "Đồng bằng sông Hồng", "100000", 21.0278, 105.8342, "VN", 0.27),
    (("Đà Nẵng", "Da Nang"), "Nam Trung Bộ", "550000", 16.0544, 108.2022, "VN", 0.08),
    (("Hải Phòng", "Hai Phong"), "Đồng bằng sông Hồng", "180000", 20.8449, 106.6881, "VN", 0.06),
    (("Cần Thơ", "Can Tho"), "Đồng bằng sông Cửu Long", "900000", 10.0452, 105.7469, "VN", 0.05),
    (("Biên Hòa",), "Đông Nam Bộ", "810000", 10.9574, 106.8426, "VN", 0.04),
    (("Nha Trang",), "Nam Trung Bộ", "650000", 12.2388, 109.1967, "VN", 0.035),
    (("Huế", "Hue"), "Bắc Trung Bộ", "530000", 16.4637, 107.5909, "VN", 0.03),
    (("Vũng Tàu",), "Đông Nam Bộ", "790000", 10.4114, 107.1362, "VN", 0.025),
    (("Buôn Ma Thuột",), "Tây Nguyên", "630000", 12.6667, 108.05, "VN", 0.02),
    (("Quy Nhơn",), "Nam Trung Bộ", "590000", 13.782, 109.2197, "VN", 0.02),
    (("Đà Lạt", "Da Lat"), "Tây Nguyên", "670000", 11.9404, 108.4583, "VN", 0.02),
    (("Thủ Dầu Một",), "Đông Nam Bộ", "820000", 10.9804, 106.6519, "VN", 0.02),
    (("Hạ Long",), "Đông Bắc Bộ", "200000", 20.9712, 107.0448, "VN", 0.015),
    (("Vinh",), "Bắc Trung Bộ", "460000", 18.6796, 105.6813, "VN", 0.015),
    (("Singapore",), "Central", "018956", 1.2903, 103.8519, "SG", 1.0),
    (("Bangkok", "Krung Thep"), "Bangkok", "10200", 13.7563, 100.5018, "TH", 0.8),
    (("Chiang Mai",), "Chiang Mai", "50000", 18.7883, 98.9853, "TH", 0.2),
    (("New York",), "NY", "10001", 40.7128, -74.006, "US", 0.4),
    (("San Francisco",), "CA", "94103", 37.7749, -122.4194, "US", 0.3),
    (("Houston",), "TX", "77002", 29.7604, -95.3698, "US", 0.3),
    (("London",), "England", "EC1A 1BB", 51.5074, -0.1278, "GB", 0.7),
    (("Manchester",), "England", "M1 1AE", 53.4808, -2.2426, "GB", 0.3),
    (("Berlin",), "Berlin", "10115", 52.52, 13.405, "DE", 0.6),
    (("München", "Munich"), "Bayern", "80331", 48.1351, 11.582, "DE", 0.4),
    (("Tokyo", "東京"), "Tokyo", "100-0001", 35.6762, 139.6503, "JP", 0.7),
    (("Osaka",), "Osaka", "530-0001", 34.6937, 135.5023, "JP", 0.3),
    (("Sydney",), "NSW", "2000", -33.8688, 151.2093, "AU", 0.6),
    (("Melbourne",), "VIC", "3000", -37.8136, 144.9631, "AU", 0.4),
    (("Paris",), "Île-de-France", "75001", 48.8566, 2.3522, "FR", 0.7),
    (("Lyon",), "Auvergne-Rhône-Alpes", "69001", 45.764, 4.8357, "FR", 0.3),
)  # fmt: skip

# stores: city index into CITIES, count
STORE_CITIES = (
    (0, 10), (1, 8), (2, 3), (3, 2), (4, 2), (5, 1), (6, 1), (7, 1), (8, 1), (11, 1),
    (15, 2), (16, 1), (25, 1), (27, 1),
)  # fmt: skip

# --- names ---------------------------------------------------------------------------------------
VN_LAST = (
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
    "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Trương", "Lâm", "Mai",
)  # fmt: skip
VN_LAST_W = (
    38, 11, 9, 7, 5, 4, 4.5, 3.9, 3.5, 2.1, 2, 1.4, 1.3, 1.3, 1, 0.5, 0.6, 0.6, 0.5, 0.5,
)  # fmt: skip
VN_MIDDLE_F = ("Thị", "Ngọc", "Thu", "Thanh", "Minh", "Hoài", "Bảo", "Kim")
VN_MIDDLE_M = ("Văn", "Minh", "Đức", "Quang", "Hữu", "Thanh", "Công", "Gia")
VN_FIRST_F = (
    "Anh", "Lan", "Hương", "Linh", "Mai", "Ngọc", "Thảo", "Trang", "Hà", "Phương", "Vy", "Nhung",
    "Quỳnh", "Yến", "Hằng", "Hạnh", "My", "Nga", "Trâm", "Uyên", "Châu", "Diễm", "Giang", "Hoa",
)  # fmt: skip
VN_FIRST_M = (
    "An", "Bảo", "Dũng", "Hùng", "Huy", "Khoa", "Long", "Minh", "Nam", "Phong", "Quân", "Sơn",
    "Thắng", "Tuấn", "Việt", "Đạt", "Hiếu", "Hoàng", "Khang", "Lộc", "Nhân", "Phúc", "Tài", "Vinh",
)  # fmt: skip
INTL_FIRST_F = (
    "Emma", "Olivia", "Sophie", "Mia", "Hannah", "Chloé", "Yuki", "Sakura", "Mei Ling", "Siti",
    "Ploy", "Nicha", "Grace", "Charlotte", "Léa", "Anna", "Ava", "Isla", "Hina", "Wei Ling",
)  # fmt: skip
INTL_FIRST_M = (
    "James", "Liam", "Noah", "Lukas", "Max", "Hugo", "Louis", "Haruto", "Kenji", "Wei Jie",
    "Somchai", "Anan", "Jack", "Oliver", "Thomas", "Daniel", "Felix", "Ren", "Ethan", "Arjun",
)  # fmt: skip
INTL_LAST = (
    "Smith", "Johnson", "Brown", "Taylor", "Müller", "Schmidt", "Martin", "Bernard", "Tanaka",
    "Suzuki", "Sato", "Tan", "Lim", "Lee", "Wong", "Srisai", "Chaiyaporn", "Wilson", "Dubois",
    "Williams", "Fischer", "Nakamura", "Ng", "Kowalski", "O'Brien", "García", "Nguyen", "Clarke",
)  # fmt: skip

EMAIL_DOMAINS_VN = ("gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "icloud.com", "fpt.vn")
EMAIL_DOMAINS_VN_W = (0.62, 0.12, 0.08, 0.07, 0.08, 0.03)
EMAIL_DOMAINS_INTL = ("gmail.com", "outlook.com", "yahoo.com", "icloud.com", "proton.me", "gmx.de")
EMAIL_DOMAINS_INTL_W = (0.45, 0.2, 0.1, 0.15, 0.05, 0.05)

# --- attributes ----------------------------------------------------------------------------------
GENDER_F = ("F", "female", "Nữ", "f", "Female", "nữ")
GENDER_M = ("M", "male", "nam", "m", "Male", "Nam")
GENDER_OTHER = ("other", "non-binary", "khác")
MARITAL = (
    ("single", "Single", "độc thân", "S"),
    ("married", "Married", "đã kết hôn", "M"),
    ("divorced", "Divorced", "ly hôn"),
    ("widowed", "Widowed", "góa"),
    ("partnered", "Partnered", "sống chung"),
)
EDUCATION = (
    ("high school", "THPT", "High School"),
    ("vocational", "trung cấp", "college"),
    ("bachelor", "Bachelor's", "Đại học", "BSc"),
    ("master", "Master's", "Thạc sĩ", "MBA"),
    ("phd", "PhD", "Tiến sĩ"),
)
OCCUPATIONS = (
    "Software Engineer", "Kỹ sư phần mềm", "Teacher", "Giáo viên", "Nurse", "Bác sĩ",
    "Accountant", "Kế toán", "Sales Manager", "Nhân viên kinh doanh", "Marketing Executive",
    "Student", "Sinh viên", "Designer", "Shop Owner", "Chủ cửa hàng", "Civil Servant",
    "Công nhân", "Driver", "Chef", "Lawyer", "Consultant", "Retired", "Homemaker", "Freelancer",
    "Data Analyst", "Pharmacist", "Architect", "Banker", "Nhân viên văn phòng",
)  # fmt: skip
INDUSTRIES = (
    "Retail", "Hospitality", "Technology", "Manufacturing", "Education", "Healthcare",
    "Logistics", "Construction", "Finance", "Food & Beverage", "Real Estate", "Media",
)  # fmt: skip
COMPANY_WORDS_1 = (
    "Sao Mai", "Hòa Phát", "Minh Long", "Phú Thịnh", "An Khang", "Việt Tiến", "Thành Công",
    "Bình Minh", "Hưng Thịnh", "Đại Dương", "Mekong", "Lotus", "Saigon", "Hanoi", "Pacific",
    "Golden", "Blue River", "Green Leaf", "Sunrise", "Red Bridge",
)  # fmt: skip
COMPANY_WORDS_2 = (
    "Trading", "Logistics", "Tech", "Foods", "Hotels", "Retail", "Solutions", "Construction",
    "Education", "Pharma", "Media", "Group",
)  # fmt: skip
COMPANY_SUFFIX = ("Co., Ltd", "JSC", "Công ty TNHH", "Pte Ltd", "Group", "Corp")

# --- behaviour archetypes ------------------------------------------------------------------------
ARCHETYPES = (
    "bargain_hunter", "eco_conscious", "outdoor_adventurer", "premium", "family", "digital",
    "casual",
)  # fmt: skip
ARCHETYPE_W = (0.18, 0.12, 0.12, 0.10, 0.16, 0.12, 0.20)
ARCHETYPE_ORDER_MULT = (1.35, 1.0, 1.05, 1.2, 1.25, 1.1, 0.6)
# order channel preference web, app, pos, marketplace
ARCHETYPE_CHANNEL = (
    (0.25, 0.15, 0.25, 0.35), (0.35, 0.20, 0.35, 0.10), (0.35, 0.15, 0.40, 0.10),
    (0.30, 0.15, 0.50, 0.05), (0.25, 0.20, 0.40, 0.15), (0.30, 0.50, 0.10, 0.10),
    (0.30, 0.15, 0.40, 0.15),
)  # fmt: skip

# products: category, subcategories, min/max USD price, eco share, archetype affinity (7)
CATEGORIES: tuple[tuple[str, tuple[str, ...], float, float, float, tuple[float, ...]], ...] = (
    ("Apparel", ("T-shirts", "Dresses", "Jackets", "Áo dài", "Jeans"), 8, 90, 0.2,
     (3, 2, 1, 2, 2, 1, 3)),
    ("Footwear", ("Sneakers", "Sandals", "Hiking boots", "Running shoes"), 20, 150, 0.15,
     (1, 1, 3, 2, 1, 1, 2)),
    ("Outdoor", ("Tents", "Backpacks", "Camping gear", "Water bottles"), 10, 300, 0.35,
     (0.5, 2, 6, 1, 1, 0.5, 1)),
    ("Home & Living", ("Kitchenware", "Decor", "Bedding", "Storage"), 5, 120, 0.25,
     (3, 2, 0.5, 1, 3, 0.5, 2)),
    ("Beauty", ("Skincare", "Makeup", "Haircare", "Fragrance"), 5, 80, 0.3,
     (2, 2, 0.5, 3, 1, 1, 2)),
    ("Electronics", ("Phone accessories", "Audio", "Smart home", "Wearables"), 10, 400, 0.05,
     (1, 0.5, 1, 3, 1, 6, 1.5)),
    ("Kids & Baby", ("Toys", "Baby care", "Kids clothing", "School supplies"), 5, 60, 0.2,
     (1, 1, 0.5, 1, 6, 0.5, 1)),
    ("Sports", ("Yoga", "Running", "Cycling", "Fitness"), 10, 200, 0.15, (0.5, 1.5, 4, 1, 1, 1, 1)),
    ("Grocery", ("Coffee", "Tea", "Snacks", "Organic food"), 2, 30, 0.4, (4, 3, 1, 1, 4, 1, 2)),
    ("Luxury", ("Watches", "Bags", "Jewelry"), 150, 1500, 0.05, (0.1, 0.2, 0.2, 4, 0.2, 0.5, 0.2)),
)  # fmt: skip
BRANDS = (
    "Saigon Craft", "Lotus Lane", "Mekong Trail", "Biti's", "Coteetci", "Highland Roast",
    "Green Bamboo", "Hanoi Thread", "Pacific Peak", "Nova", "UrbanNest", "Zen Leaf", "Kaizen",
    "Nordhaus", "TerraPack", "Aurora", "Little Lotus", "Red Dao", "BlueWave", "Maison Lumière",
)  # fmt: skip
PRODUCT_ADJ = (
    "Classic", "Eco", "Pro", "Lite", "Urban", "Trail", "Premium", "Everyday", "Bamboo",
    "Organic", "Smart", "Mini", "Deluxe", "Tropical", "Recycled", "Heritage",
)  # fmt: skip

# --- survey answers (per archetype, the favourite first) ------------------------------------------
INTERESTS = ("sustainability", "adventure", "fashion", "technology", "family", "fitness",
             "cooking", "travel", "beauty", "deals")  # fmt: skip
VALUES = ("price", "quality", "sustainability", "convenience", "brand", "service")
LIFESTYLES = ("outdoor", "urban", "family", "homebody", "traveler", "student", "health")
PAIN_POINTS = ("delivery", "price", "sizing", "quality", "payment", "returns", "support")
# favourite answer index per archetype for interest, value, lifestyle, pain_point
ARCHETYPE_ANSWERS = (
    (9, 0, 1, 1), (0, 2, 6, 3), (1, 1, 0, 2), (2, 4, 1, 0), (4, 3, 2, 0), (3, 3, 1, 4),
    (7, 3, 3, 0),
)  # fmt: skip
NPS_COMMENTS = (
    "Giao hàng nhanh, sản phẩm tốt", "Great quality", "Shipping was slow", "Giá hơi cao",
    "Love the eco range", "Nhân viên thân thiện", "App hay bị lỗi", "Will buy again",
)  # fmt: skip

SEARCH_TERMS = (
    "áo khoác", "giày chạy bộ", "balo", "backpack", "tent", "cà phê", "son môi", "tai nghe",
    "đồ chơi", "yoga mat", "áo dài", "sneakers", "organic", "quà tết", "black friday",
)  # fmt: skip
UTM = (
    ("google", "cpc", "search_brand"), ("facebook", "social", "fb_prospecting"),
    ("zalo", "social", "zalo_oa"), ("tiktok", "social", "tiktok_shop"),
    ("newsletter", "email", "weekly_newsletter"), ("coccoc", "cpc", "coccoc_search"),
    ("shopee", "referral", "marketplace_xsell"), ("google", "display", "remarketing"),
)  # fmt: skip
REFERRERS = (
    "https://www.google.com/", "https://www.facebook.com/", "https://zalo.me/",
    "https://www.tiktok.com/", "https://coccoc.com/", "https://shopee.vn/",
)  # fmt: skip
BROWSERS_DESKTOP = ("Chrome", "Edge", "Firefox", "Safari", "Cốc Cốc")
BROWSERS_MOBILE = ("Chrome", "Safari", "Samsung Internet", "Cốc Cốc")

TICKET_STATUSES = ("closed", "resolved", "open", "pending", "escalated")
LEAD_SOURCES = ("ads", "referral", "event", "organic", "partner")
LEAD_STATUSES = ("new", "contacted", "qualified", "disqualified", "converted")
TOUCH_CHANNELS = ("email", "sms", "push", "call", "social_ad")
TICKET_CATEGORIES = (
    "delivery", "product_quality", "pricing", "sizing", "payment", "technical", "other",
)  # fmt: skip
ORDER_STATUSES = ("completed", "pending", "cancelled", "returned", "refunded")
SOURCE_SYSTEMS = ("web", "app", "pos", "marketplace")
PAYMENT_METHODS = ("card", "cash", "cod", "e_wallet", "bank_transfer", "bnpl")
EVENT_TYPES = (
    "page_view", "product_view", "search", "add_to_cart", "remove_from_cart", "checkout_started",
    "order_completed", "sign_up", "login",
)  # fmt: skip
PLATFORMS = ("web", "ios_app", "android_app")

# Lunar New Year (Tết) dates; other years fall back to 5 February.
TET = {
    2019: (2, 5), 2020: (1, 25), 2021: (2, 12), 2022: (2, 1), 2023: (1, 22), 2024: (2, 10),
    2025: (1, 29), 2026: (2, 17), 2027: (2, 6), 2028: (1, 26), 2029: (2, 13), 2030: (2, 3),
    2031: (1, 23), 2032: (2, 11),
}  # fmt: skip


def ascii_fold(text: str) -> str:
    """Lower-case ASCII form of a name (diacritics removed, đ -> d, spaces and quotes dropped)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(ch for ch in decomposed if ch.isascii() and ch.isalnum())
    return kept.lower()
