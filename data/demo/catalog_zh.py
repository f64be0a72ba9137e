"""Chinese names for the demo shop (推荐理由 need 中文 labels): plain data for generate.py.

Every English name has one Chinese name, written the way a Chinese beauty shop writes it: no
spaces, sizes as "150ml", a shade in full-width brackets. Product names are composed from these
parts (brand + line + descriptor + kind + shade or size), so no random draw is made and the English
tables stay byte for byte what they were. Maps are one-to-one (generate.py checks it), so two
products never share a Chinese name.
"""
from __future__ import annotations

DEPARTMENTS_ZH = {"skin-care": "护肤", "make-up": "彩妆", "hair-care": "护发", "body-care": "身体护理"}
CATEGORIES_ZH = {
    "skin-care/cleansers": "洁面", "skin-care/serums": "精华", "skin-care/moisturisers": "面霜乳液",
    "skin-care/sun-care": "防晒", "skin-care/masks": "面膜", "skin-care/eye-care": "眼部护理",
    "make-up/face": "面部彩妆", "make-up/eyes": "眼部彩妆", "make-up/lips": "唇部彩妆",
    "hair-care/shampoos": "洗发水", "hair-care/conditioners": "护发素", "hair-care/treatments": "深层护发",
    "hair-care/styling": "造型", "body-care/moisturisers": "身体保湿", "body-care/bath-shower": "沐浴",
    "body-care/hands-feet": "手足护理",
}
# leaf category path -> (the leaf's name, the kind of product as a product name says it)
LEAVES_ZH = {
    "skin-care/cleansers/gel": ("洁面啫喱", "洁面啫喱"),
    "skin-care/cleansers/balms": ("卸妆膏", "卸妆膏"),
    "skin-care/cleansers/micellar": ("卸妆水", "卸妆水"),
    "skin-care/serums/vitamin-c": ("维C精华", "维C精华液"),
    "skin-care/serums/hydrating": ("补水精华", "玻尿酸精华液"),
    "skin-care/serums/retinol": ("视黄醇精华", "视黄醇精华液"),
    "skin-care/serums/niacinamide": ("烟酰胺精华", "烟酰胺精华液"),
    "skin-care/moisturisers/day-creams": ("日霜", "日霜"),
    "skin-care/moisturisers/night-creams": ("晚霜", "晚霜"),
    "skin-care/moisturisers/gel-moisturisers": ("保湿凝露", "保湿凝露"),
    "skin-care/sun-care/face-spf": ("面部防晒乳", "SPF50面部防晒乳"),
    "skin-care/masks/clay": ("泥膜", "泥膜"),
    "skin-care/masks/sheet": ("贴片面膜", "贴片面膜"),
    "skin-care/eye-care/eye-creams": ("眼霜", "眼霜"),
    "make-up/face/foundations": ("粉底液", "粉底液"),
    "make-up/face/concealers": ("遮瑕液", "遮瑕液"),
    "make-up/face/primers": ("妆前乳", "妆前乳"),
    "make-up/face/blushers": ("腮红", "腮红"),
    "make-up/face/powders": ("定妆粉", "定妆粉"),
    "make-up/eyes/mascaras": ("睫毛膏", "睫毛膏"),
    "make-up/eyes/palettes": ("眼影盘", "眼影盘"),
    "make-up/eyes/eyeliners": ("眼线笔", "眼线笔"),
    "make-up/eyes/brows": ("眉笔", "眉笔"),
    "make-up/lips/lipsticks": ("口红", "口红"),
    "make-up/lips/glosses": ("唇釉", "唇釉"),
    "make-up/lips/balms": ("润唇膏", "润唇膏"),
    "hair-care/shampoos/clarifying": ("清洁洗发水", "清洁洗发水"),
    "hair-care/shampoos/moisturising": ("滋润洗发水", "滋润洗发水"),
    "hair-care/shampoos/colour-care": ("护色洗发水", "护色洗发水"),
    "hair-care/conditioners/rinse-out": ("冲洗型护发素", "护发素"),
    "hair-care/conditioners/leave-in": ("免洗护发素", "免洗护发素"),
    "hair-care/treatments/masks": ("发膜", "发膜"),
    "hair-care/treatments/oils": ("护发精油", "护发精油"),
    "hair-care/treatments/scalp-serums": ("头皮精华", "头皮精华液"),
    "hair-care/styling/curl-creams": ("卷发霜", "卷发霜"),
    "hair-care/styling/heat-protectants": ("隔热喷雾", "隔热喷雾"),
    "hair-care/styling/dry-shampoos": ("干洗喷雾", "干洗喷雾"),
    "body-care/moisturisers/lotions": ("身体乳", "身体乳"),
    "body-care/moisturisers/butters": ("身体霜", "身体霜"),
    "body-care/moisturisers/oils": ("身体油", "身体油"),
    "body-care/bath-shower/shower-gels": ("沐浴露", "沐浴露"),
    "body-care/bath-shower/scrubs": ("身体磨砂膏", "身体磨砂膏"),
    "body-care/hands-feet/hand-creams": ("护手霜", "护手霜"),
    "body-care/hands-feet/foot-creams": ("护足霜", "护足霜"),
}
DESCS_ZH = {  # the descriptor words of product names (leaf descs and finish words)
    "Purifying": "净化", "Clarifying": "净透", "Fresh Foaming": "清新泡沫", "Pore-Clearing": "净毛孔",
    "Melting": "融融", "Nourishing": "滋养", "Makeup-Melting": "妆感速融", "Silky": "丝滑", "Gentle": "温和",
    "Soothing": "舒缓", "Hydrating": "补水", "Everyday": "日常", "Brightening": "焕亮",
    "15% Brightening": "15%焕亮", "Radiance Boost": "焕采加倍", "Glow Tonic": "光采", "Plumping": "丰盈",
    "Deep Hydration": "深层补水", "Water Burst": "水弹", "Moisture Surge": "水分充盈", "Overnight Renewal": "夜间焕新",
    "Smoothing": "平滑", "Gentle 0.3%": "温和0.3%", "Line-Softening": "淡纹", "Pore-Refining": "细致毛孔",
    "10% Blemish": "10%净痘", "Balancing": "平衡", "Daily Comfort": "日常舒适", "Barrier Repair": "屏障修护",
    "Softening": "柔肤", "Overnight Repair": "夜间修护", "Rich Recovery": "丰润修复", "Restoring": "复原",
    "Midnight": "午夜", "Oil-Free": "无油", "Water": "水感", "Cooling": "清凉", "Lightweight": "轻盈",
    "Invisible": "隐形", "Mineral": "矿物", "Featherlight": "羽感轻薄", "Tinted": "润色", "Detox": "排毒",
    "Deep Clean": "深层清洁", "Glow": "光感", "De-Puffing": "消肿", "Firming": "紧致", "Bright Eyes": "亮眼",
    "Long-Wear": "持久", "Serum": "精华", "Weightless": "无感", "Full Cover": "全覆盖", "Creaseless": "不卡纹",
    "Pore-Blurring": "隐匿毛孔", "Gripping": "抓妆", "Cheek Tint": "胭脂", "Powder": "粉质", "Cream": "膏状",
    "Loose": "散粉款", "Pressed": "粉饼款", "Blurring": "柔焦", "Volumising": "浓密", "Lengthening": "纤长",
    "Curl Lift": "卷翘", "Waterproof": "防水", "12-Pan": "12色", "Mini": "迷你", "Precision": "精准",
    "Kohl": "柯尔", "Gel": "凝胶", "Felt-Tip": "毡头", "Micro": "极细", "Sculpting": "塑形", "Fine": "细芯",
    "Bullet": "子弹头", "Comfort": "舒适", "Cushion": "气垫", "Jelly": "果冻", "Overnight": "夜间",
    "Conditioning": "调理", "Scalp Detox": "头皮净化", "Fresh": "清新", "Weekly": "每周", "Silk": "柔丝",
    "Curl-Friendly": "护卷", "Shine Lock": "锁色亮泽", "Vibrant": "鲜亮", "Gloss": "亮泽", "Colour-Safe": "色彩安心",
    "Detangling": "顺滑", "Repairing": "修护", "Curl Quench": "润卷", "Frizz-Calming": "抚平毛躁",
    "Bond Repair": "键合修复", "Intense Repair": "强效修复", "Protein": "蛋白", "Shine": "光亮",
    "Frizz Control": "控毛躁", "Finishing": "顺发", "Thickening": "丰密", "Root Boost": "发根蓬松",
    "Defining": "塑卷", "Bouncy": "弹力", "Soft Hold": "轻定型", "Coil": "螺旋", "Thermal": "耐热",
    "Blow-Dry": "吹整", "Sleek": "柔顺", "Refreshing": "清爽", "Daily": "每日", "Intensive": "强效",
    "Light": "清透", "Whipped": "慕斯", "Rich": "丰润", "Fast-Absorbing": "速吸收", "Creamy": "柔滑",
    "Energising": "活力", "Polishing": "抛光", "Sugar": "砂糖", "Repair": "修复", "Non-Greasy": "不油腻",
    "Cracked Heel": "足跟干裂",
    # finish words (make-up names say the finish)
    "Soft Matte": "柔雾哑光", "Velvet Matte": "丝绒哑光", "Matte": "哑光", "Dewy": "水光", "Satin": "缎光",
    "Skin-Like": "裸肌感", "Natural": "自然", "Luminous": "透亮", "Radiant": "光泽", "High-Shine": "高光泽",
    "Glossy": "镜面", "Shimmer": "珠光", "Metallic": "金属", "Foil": "箔光",
}
LINES_ZH = {
    "Hydra-Glow": "水漾晶透", "Pure Balance": "纯净平衡", "Skin Reset": "肌肤重启", "Barrier Love": "屏障呵护",
    "Calm Cica": "积雪舒缓", "Clear Days": "清透日常", "Dew Drop": "晨露", "Bright Theory": "亮肤理论",
    "Cloud Soft": "云朵柔肤", "Daily Ritual": "每日仪式", "Night Shift": "夜班焕活", "Aqua Veil": "水润面纱",
    "Bare Skin": "素肌", "Second Skin": "第二肌肤", "Velvet Hour": "丝绒时光", "Soft Focus": "柔光滤镜",
    "Colour Edit": "色彩精选", "Pro Artist": "专业化妆师", "Stay Put": "恒久持妆", "Glow Getter": "光彩捕手",
    "Everyday Edit": "日常精选", "Studio": "工作室", "Petal Pop": "花瓣跳色", "Bond Fix": "键合修护",
    "Curl Theory": "卷曲理论", "Moisture Lock": "锁水", "Hair Ritual": "秀发仪式", "Silk Strands": "丝缎秀发",
    "Volume Lift": "丰盈蓬松", "Colour Guard": "焕色卫士", "Root Rescue": "发根救援", "Body Bliss": "悦享时光",
    "Silk Touch": "丝滑触感", "Sea Salt & Sage": "海盐鼠尾草", "Cocoon": "茧护", "Daily Nourish": "每日滋养",
    "Velvet Body": "丝绒美体", "Shea Dream": "乳木果之梦",
}
BRANDS_ZH = {
    "aurelle": "奥瑞尔", "velmora": "薇尔莫拉", "sorelle-skin": "索蕾尔肌肤", "nordvik": "诺德维克自然",
    "kalani": "卡拉尼植萃", "maison-orrery": "奥瑞里之家", "petalwise": "佩塔薇丝", "dermaquill": "德玛奎尔",
    "brume-and-bloom": "雾与花", "solenne": "索兰妮", "haverly": "哈弗利", "mirabay": "米拉湾",
    "clove-and-cedar": "丁香与雪松", "oakmere": "橡湖药坊", "lunaire": "露娜尔彩妆", "rouge-atelier": "胭脂工坊",
    "saltgrass": "盐草", "tessaly": "苔莎丽", "verdanne": "维丹", "komi-lab": "可米实验室", "noctara": "诺克塔拉",
    "plumfield": "梅田", "ebbwater": "潮汐水", "ciel-minerale": "天空矿物", "fernhollow": "蕨谷",
    "ondessa": "昂黛莎美发", "coilcraft": "卷艺", "strand-theory": "发丝理论", "marisol-bay": "玛丽索湾",
    "honeyrue": "蜜芸", "quillon": "奎隆肤研", "belle-riviere": "美丽河畔", "lyssa": "莉莎美妆",
}
INGREDIENTS_ZH = {
    "niacinamide": "烟酰胺", "hyaluronic-acid": "透明质酸", "retinol": "视黄醇",
    "ascorbic-acid": "抗坏血酸（维生素C）", "tocopherol": "生育酚（维生素E）", "ferulic-acid": "阿魏酸",
    "salicylic-acid": "水杨酸", "glycolic-acid": "乙醇酸", "lactic-acid": "乳酸", "ceramide-np": "神经酰胺NP",
    "squalane": "角鲨烷", "shea-butter": "乳木果油", "glycerin": "甘油", "panthenol": "泛醇（维生素B5）",
    "centella-asiatica": "积雪草提取物", "green-tea": "绿茶提取物", "aloe-vera": "芦荟", "jojoba-oil": "荷荷巴油",
    "argan-oil": "摩洛哥坚果油", "coconut-oil": "椰子油", "rosehip-oil": "玫瑰果油", "zinc-oxide": "氧化锌",
    "titanium-dioxide": "二氧化钛", "kaolin": "高岭土", "bakuchiol": "补骨脂酚", "peptides": "棕榈酰三肽-1",
    "caffeine": "咖啡因", "allantoin": "尿囊素", "urea": "尿素", "keratin": "水解角蛋白", "biotin": "生物素",
    "castor-oil": "蓖麻油", "cocoa-butter": "可可脂", "beeswax": "蜂蜡", "carmine": "胭脂红",
    "candelilla-wax": "小烛树蜡", "mica": "云母", "iron-oxides": "氧化铁", "dimethicone": "聚二甲基硅氧烷",
    "rice-protein": "水解大米蛋白", "rice-starch": "大米淀粉", "oat-extract": "胶态燕麦", "tea-tree-oil": "茶树油",
    "sodium-pca": "吡咯烷酮羧酸钠", "zinc-pca": "吡咯烷酮羧酸锌", "charcoal": "活性炭粉", "sucrose": "蔗糖",
}
SHADES_ZH = {
    "fair": "象牙白", "light": "亮肤色", "light-medium": "浅米色", "medium": "暖米色", "tan": "小麦色",
    "deep": "深肤色", "translucent": "透明", "peach": "蜜桃色", "rose": "玫瑰色", "coral": "珊瑚色",
    "plum": "梅子色", "berry": "浆果色", "black": "黑色", "brown-black": "棕黑色", "brown": "棕色", "navy": "藏青色",
    "warm-neutrals": "暖调大地色", "smoky-taupe": "烟熏灰褐", "rose-gold": "玫瑰金", "sunset": "日落橘",
    "blonde": "浅金色", "taupe": "灰褐色", "brunette": "深棕色", "ebony": "乌木黑", "brick-red": "砖红色",
    "classic-red": "经典正红", "nude-pink": "裸粉色", "rosewood": "豆沙色", "mauve": "藕紫色", "cocoa": "可可色",
    "clear": "透明色", "champagne": "香槟色",
}
# Values that were named only by their ids in English; the English names stay those ids.
FINISHES_ZH = {"matte": "哑光", "dewy": "水光", "satin": "缎光", "natural": "自然", "radiant": "光泽",
               "glossy": "镜面", "cream": "奶油", "shimmer": "珠光", "metallic": "金属光泽"}
SKIN_TYPES_ZH = {"oily": "油性肌肤", "dry": "干性肌肤", "combination": "混合性肌肤", "sensitive": "敏感肌肤",
                 "normal": "中性肌肤"}
HAIR_TYPES_ZH = {"fine": "细软发质", "thick": "粗硬发质", "curly": "卷发", "coily": "螺旋卷发", "wavy": "波浪卷发",
                 "straight": "直发", "colour-treated": "染后发质", "damaged": "受损发质"}
CLAIMS_ZH = {"vegan": "纯素", "cruelty-free": "零残忍", "fragrance-free": "无香精", "paraben-free": "无尼泊金酯",
             "sulfate-free": "无硫酸盐", "non-comedogenic": "不致痘", "dermatologist-tested": "皮肤科测试",
             "reef-safe": "珊瑚礁友好", "ophthalmologist-tested": "眼科测试", "organic": "有机",
             "refillable": "可替换装"}


def size_zh(size: str) -> str:
    """"150 ml" -> "150ml", "5 sheets" -> "5片装": how a Chinese product name writes a size."""
    number, _, unit = size.partition(" ")
    return number + ("片装" if unit.startswith("sheet") else unit)


def name_zh(brand: str, line: str, desc: str, leaf_path: str, shade: str, size: str) -> str:
    """A product's Chinese name from the parts its English name was made of (brand id, line and
    descriptor in English, the leaf's path, the shade id or the size)."""
    tail = f"（{SHADES_ZH[shade]}）" if shade else size_zh(size)
    return f"{BRANDS_ZH[brand]}{LINES_ZH[line]}{DESCS_ZH[desc]}{LEAVES_ZH[leaf_path][1]}{tail}"


def check_one_to_one() -> None:
    """Two English names never share a Chinese one (within each table, and across the tables
    whose names meet in one sentence)."""
    tables = [DEPARTMENTS_ZH, CATEGORIES_ZH, {k: v[0] for k, v in LEAVES_ZH.items()}, DESCS_ZH, LINES_ZH,
              BRANDS_ZH, INGREDIENTS_ZH, SHADES_ZH, FINISHES_ZH, SKIN_TYPES_ZH, HAIR_TYPES_ZH, CLAIMS_ZH]
    for table in tables:
        values = list(table.values())
        dup = [v for k, v in enumerate(values) if v in values[:k]]
        if dup:
            raise ValueError(f"Chinese name {dup[0]!r} stands for two English names")
    labels = [v for t in tables if t is not DESCS_ZH for v in t.values()]
    dup = [v for k, v in enumerate(labels) if v in labels[:k]]
    if dup:
        raise ValueError(f"Chinese name {dup[0]!r} names two nodes")
