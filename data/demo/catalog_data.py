"""The demo shop's vocabulary: departments, leaf categories, brands, ingredients, shades, and the mapping.

Plain data for generate.py. Brand and line names are invented; ingredients are real (INCI-ish) names.
"""
from __future__ import annotations

from dataclasses import dataclass

DEPARTMENTS = {"skin-care": "Skin care", "make-up": "Make-up", "hair-care": "Hair care", "body-care": "Body care"}
CATEGORIES = {
    "skin-care/cleansers": "Cleansers", "skin-care/serums": "Serums", "skin-care/moisturisers": "Moisturisers",
    "skin-care/sun-care": "Sun care", "skin-care/masks": "Masks", "skin-care/eye-care": "Eye care",
    "make-up/face": "Face", "make-up/eyes": "Eyes", "make-up/lips": "Lips",
    "hair-care/shampoos": "Shampoos", "hair-care/conditioners": "Conditioners",
    "hair-care/treatments": "Treatments", "hair-care/styling": "Styling",
    "body-care/moisturisers": "Body moisturisers", "body-care/bath-shower": "Bath and shower",
    "body-care/hands-feet": "Hands and feet",
}
SKIN_TYPES = ["oily", "dry", "combination", "sensitive", "normal"]
# Distinct from the skin types, so a bare id such as "curly" names one node only.
HAIR_TYPES = ["fine", "thick", "curly", "coily", "wavy", "straight", "colour-treated", "damaged"]

INGREDIENTS = {
    "niacinamide": "niacinamide", "hyaluronic-acid": "hyaluronic acid", "retinol": "retinol",
    "ascorbic-acid": "ascorbic acid (vitamin C)", "tocopherol": "tocopherol (vitamin E)",
    "ferulic-acid": "ferulic acid", "salicylic-acid": "salicylic acid", "glycolic-acid": "glycolic acid",
    "lactic-acid": "lactic acid", "ceramide-np": "ceramide NP", "squalane": "squalane",
    "shea-butter": "shea butter", "glycerin": "glycerin", "panthenol": "panthenol (vitamin B5)",
    "centella-asiatica": "centella asiatica extract", "green-tea": "green tea extract", "aloe-vera": "aloe vera",
    "jojoba-oil": "jojoba oil", "argan-oil": "argan oil", "coconut-oil": "coconut oil", "rosehip-oil": "rosehip oil",
    "zinc-oxide": "zinc oxide", "titanium-dioxide": "titanium dioxide", "kaolin": "kaolin clay",
    "bakuchiol": "bakuchiol", "peptides": "palmitoyl tripeptide-1", "caffeine": "caffeine", "allantoin": "allantoin",
    "urea": "urea", "keratin": "hydrolysed keratin", "biotin": "biotin", "castor-oil": "castor oil",
    "cocoa-butter": "cocoa butter", "beeswax": "beeswax", "carmine": "carmine", "candelilla-wax": "candelilla wax",
    "mica": "mica", "iron-oxides": "iron oxides", "dimethicone": "dimethicone",
    "rice-protein": "hydrolysed rice protein", "rice-starch": "rice starch", "oat-extract": "colloidal oatmeal",
    "tea-tree-oil": "tea tree oil", "sodium-pca": "sodium PCA", "zinc-pca": "zinc PCA",
    "charcoal": "charcoal powder", "sucrose": "sucrose (sugar)",
}
SUPPORT = {  # everyday supporting ingredients per department; glycerin is added often and becomes a hub
    "skin-care": ["squalane", "panthenol", "allantoin", "tocopherol", "hyaluronic-acid", "centella-asiatica",
                  "green-tea", "aloe-vera", "niacinamide", "ceramide-np"],
    "make-up": ["dimethicone", "tocopherol", "squalane", "mica", "jojoba-oil", "hyaluronic-acid"],
    "hair-care": ["panthenol", "aloe-vera", "coconut-oil", "argan-oil", "keratin", "rice-protein"],
    "body-care": ["shea-butter", "tocopherol", "aloe-vera", "coconut-oil", "oat-extract", "allantoin"],
}
SHADES = {
    "fair": "fair", "light": "light", "light-medium": "light-medium", "medium": "medium", "tan": "tan",
    "deep": "deep", "translucent": "translucent", "peach": "peach", "rose": "rose", "coral": "coral", "plum": "plum",
    "berry": "berry", "black": "black", "brown-black": "brown-black", "brown": "brown", "navy": "navy",
    "warm-neutrals": "warm neutrals", "smoky-taupe": "smoky taupe", "rose-gold": "rose gold", "sunset": "sunset",
    "blonde": "blonde", "taupe": "taupe", "brunette": "brunette", "ebony": "ebony", "brick-red": "brick red",
    "classic-red": "classic red", "nude-pink": "nude pink", "rosewood": "rosewood", "mauve": "mauve",
    "cocoa": "cocoa", "clear": "clear", "champagne": "champagne",
}
FINISH_WORDS = {"matte": ["Soft Matte", "Velvet Matte", "Matte"], "dewy": ["Dewy", "Glow"], "satin": ["Satin"],
                "natural": ["Skin-Like", "Natural"], "radiant": ["Luminous", "Radiant"],
                "glossy": ["High-Shine", "Glossy"], "cream": ["Creamy", "Cream"], "shimmer": ["Shimmer"],
                "metallic": ["Metallic", "Foil"]}
OPPOSITE_FINISH = {"matte": "dewy", "dewy": "matte", "satin": "matte", "natural": "metallic"}


@dataclass(frozen=True)
class Leaf:
    path: str
    name: str
    noun: str
    short: str
    price_lo: float
    price_hi: float
    sizes: list[str]
    keys: list[str]
    descs: list[str]
    finishes: list[str]
    shades: list[str]
    suits_kind: str | None  # "skin", "hair" or None
    bias: list[str]  # the types this kind of product is usually made for
    weight: int  # how common the leaf is in the assortment

    @property
    def dept(self) -> str:
        return self.path.split("/")[0]

    @property
    def cat(self) -> str:
        return self.path.rsplit("/", 1)[0]

    @property
    def cat_name(self) -> str:
        return CATEGORIES[self.cat]


def _l(path, name, noun, short, lo, hi, sizes, keys, descs, finishes="", shades="", suits=None, bias="", w=2):
    return Leaf(path, name, noun, short, lo, hi, sizes.split(","), keys.split(), descs.split(","), finishes.split(),
                shades.split(), suits, bias.split(), w)


FOUNDATION_SHADES = "fair light light-medium medium tan deep"
LEAVES = [
    _l("skin-care/cleansers/gel", "Gel cleansers", "Gel Cleanser", "cleanser", 8, 22, "150 ml,200 ml",
       "salicylic-acid niacinamide green-tea tea-tree-oil", "Purifying,Clarifying,Fresh Foaming,Pore-Clearing",
       suits="skin", bias="oily combination", w=3),
    _l("skin-care/cleansers/balms", "Cleansing balms", "Cleansing Balm", "cleansing balm", 14, 36, "100 ml,50 ml",
       "jojoba-oil shea-butter squalane rosehip-oil", "Melting,Nourishing,Makeup-Melting,Silky",
       suits="skin", bias="dry normal"),
    _l("skin-care/cleansers/micellar", "Micellar waters", "Micellar Water", "micellar water", 6, 16, "400 ml,200 ml",
       "glycerin aloe-vera panthenol centella-asiatica", "Gentle,Soothing,Hydrating,Everyday",
       suits="skin", bias="sensitive normal"),
    _l("skin-care/serums/vitamin-c", "Vitamin C serums", "Vitamin C Serum", "vitamin C serum", 18, 64, "30 ml,15 ml",
       "ascorbic-acid ferulic-acid tocopherol", "Brightening,15% Brightening,Radiance Boost,Glow Tonic",
       suits="skin", bias="normal combination dry", w=3),
    _l("skin-care/serums/hydrating", "Hydrating serums", "Hyaluronic Serum", "hyaluronic serum", 12, 46, "30 ml",
       "hyaluronic-acid sodium-pca panthenol", "Plumping,Deep Hydration,Water Burst,Moisture Surge",
       suits="skin", bias="dry normal", w=3),
    _l("skin-care/serums/retinol", "Retinol serums", "Retinol Serum", "retinol serum", 22, 72, "30 ml",
       "retinol bakuchiol peptides squalane", "Overnight Renewal,Smoothing,Gentle 0.3%,Line-Softening",
       suits="skin", bias="normal dry combination"),
    _l("skin-care/serums/niacinamide", "Niacinamide serums", "Niacinamide Serum", "niacinamide serum", 8, 30, "30 ml",
       "niacinamide zinc-pca centella-asiatica", "Pore-Refining,10% Blemish,Balancing,Clarifying",
       suits="skin", bias="oily combination", w=3),
    _l("skin-care/moisturisers/day-creams", "Day creams", "Day Cream", "day cream", 14, 56, "50 ml",
       "ceramide-np hyaluronic-acid niacinamide shea-butter", "Daily Comfort,Barrier Repair,Nourishing,Softening",
       "natural dewy", suits="skin", bias="dry normal sensitive", w=3),
    _l("skin-care/moisturisers/night-creams", "Night creams", "Night Cream", "night cream", 18, 70, "50 ml",
       "retinol peptides shea-butter bakuchiol ceramide-np", "Overnight Repair,Rich Recovery,Restoring,Midnight",
       suits="skin", bias="dry normal"),
    _l("skin-care/moisturisers/gel-moisturisers", "Gel moisturisers", "Gel Moisturiser", "gel moisturiser", 12, 40,
       "50 ml", "hyaluronic-acid niacinamide green-tea aloe-vera", "Oil-Free,Water,Cooling,Lightweight",
       "matte natural", suits="skin", bias="oily combination"),
    _l("skin-care/sun-care/face-spf", "Face sunscreens", "SPF 50 Face Fluid", "sunscreen", 12, 36, "50 ml,40 ml",
       "zinc-oxide titanium-dioxide niacinamide tocopherol", "Invisible,Mineral,Featherlight,Tinted",
       "matte dewy natural", suits="skin"),
    _l("skin-care/masks/clay", "Clay masks", "Clay Mask", "clay mask", 10, 32, "75 ml,100 ml",
       "kaolin salicylic-acid tea-tree-oil charcoal", "Detox,Purifying,Pore-Clearing,Deep Clean",
       suits="skin", bias="oily combination"),
    _l("skin-care/masks/sheet", "Sheet masks", "Sheet Mask", "sheet mask", 3, 9, "1 sheet,5 sheets",
       "hyaluronic-acid centella-asiatica niacinamide aloe-vera", "Hydrating,Soothing,Brightening,Glow",
       suits="skin", w=1),
    _l("skin-care/eye-care/eye-creams", "Eye creams", "Eye Cream", "eye cream", 16, 54, "15 ml",
       "caffeine peptides retinol hyaluronic-acid", "De-Puffing,Firming,Bright Eyes,Smoothing", suits="skin"),
    _l("make-up/face/foundations", "Foundations", "Foundation", "foundation", 16, 46, "30 ml",
       "hyaluronic-acid dimethicone iron-oxides squalane titanium-dioxide", "Long-Wear,Serum,Weightless",
       "matte dewy satin natural radiant", FOUNDATION_SHADES, "skin", w=4),
    _l("make-up/face/concealers", "Concealers", "Concealer", "concealer", 9, 30, "6 ml",
       "iron-oxides dimethicone caffeine hyaluronic-acid", "Full Cover,Brightening,Creaseless",
       "matte natural radiant", FOUNDATION_SHADES, "skin", w=3),
    _l("make-up/face/primers", "Primers", "Primer", "primer", 12, 36, "30 ml",
       "dimethicone niacinamide hyaluronic-acid glycerin", "Pore-Blurring,Gripping,Smoothing",
       "matte dewy radiant", suits="skin"),
    _l("make-up/face/blushers", "Blushers", "Blush", "blush", 8, 28, "5 g",
       "mica iron-oxides jojoba-oil tocopherol", "Cheek Tint,Powder,Cream", "matte satin shimmer",
       "peach rose coral plum berry"),
    _l("make-up/face/powders", "Setting powders", "Setting Powder", "setting powder", 9, 34, "9 g",
       "kaolin mica rice-starch", "Loose,Pressed,Blurring", "matte natural", "translucent light medium deep",
       "skin", "oily combination normal"),
    _l("make-up/eyes/mascaras", "Mascaras", "Mascara", "mascara", 7, 26, "8 ml",
       "beeswax panthenol castor-oil iron-oxides", "Volumising,Lengthening,Curl Lift,Waterproof", "",
       "black brown-black", w=3),
    _l("make-up/eyes/palettes", "Eyeshadow palettes", "Eyeshadow Palette", "eyeshadow palette", 14, 50, "12 g",
       "mica iron-oxides dimethicone tocopherol", "12-Pan,Everyday,Mini", "matte shimmer metallic",
       "warm-neutrals smoky-taupe rose-gold sunset"),
    _l("make-up/eyes/eyeliners", "Eyeliners", "Eyeliner", "eyeliner", 6, 22, "1.2 g,0.5 ml",
       "iron-oxides beeswax castor-oil tocopherol", "Precision,Kohl,Gel,Felt-Tip", "", "black brown navy"),
    _l("make-up/eyes/brows", "Brow pencils", "Brow Pencil", "brow pencil", 6, 24, "0.1 g",
       "iron-oxides beeswax tocopherol candelilla-wax", "Micro,Sculpting,Fine", "", "blonde taupe brunette ebony",
       w=1),
    _l("make-up/lips/lipsticks", "Lipsticks", "Lipstick", "lipstick", 8, 32, "3.5 g",
       "castor-oil shea-butter candelilla-wax beeswax tocopherol", "Bullet,Long-Wear,Comfort", "matte satin cream",
       "brick-red classic-red nude-pink rosewood berry mauve coral cocoa", w=4),
    _l("make-up/lips/glosses", "Lip glosses", "Lip Gloss", "lip gloss", 7, 24, "8 ml",
       "jojoba-oil castor-oil shea-butter tocopherol", "Plumping,Cushion,Jelly", "glossy shimmer",
       "clear nude-pink berry champagne coral"),
    _l("make-up/lips/balms", "Lip balms", "Lip Balm", "lip balm", 3, 14, "4.5 g",
       "shea-butter beeswax cocoa-butter candelilla-wax", "Nourishing,Overnight,Conditioning", "glossy",
       "clear nude-pink berry rosewood"),
    _l("hair-care/shampoos/clarifying", "Clarifying shampoos", "Clarifying Shampoo", "shampoo", 6, 24,
       "250 ml,400 ml", "salicylic-acid tea-tree-oil green-tea", "Deep Clean,Scalp Detox,Fresh,Weekly",
       suits="hair", bias="fine straight"),
    _l("hair-care/shampoos/moisturising", "Moisturising shampoos", "Moisture Shampoo", "shampoo", 6, 28,
       "250 ml,400 ml", "argan-oil shea-butter coconut-oil glycerin", "Hydrating,Silk,Nourishing,Curl-Friendly",
       suits="hair", bias="curly coily wavy damaged", w=3),
    _l("hair-care/shampoos/colour-care", "Colour-care shampoos", "Colour Protect Shampoo", "shampoo", 8, 30,
       "250 ml", "keratin rice-protein panthenol", "Shine Lock,Vibrant,Gloss,Colour-Safe",
       suits="hair", bias="colour-treated"),
    _l("hair-care/conditioners/rinse-out", "Rinse-out conditioners", "Conditioner", "conditioner", 6, 28, "250 ml",
       "argan-oil shea-butter keratin panthenol", "Smoothing,Detangling,Repairing,Softening", suits="hair", w=3),
    _l("hair-care/conditioners/leave-in", "Leave-in conditioners", "Leave-In Conditioner", "leave-in conditioner",
       8, 26, "150 ml", "aloe-vera panthenol argan-oil glycerin", "Detangling,Curl Quench,Lightweight,Frizz-Calming",
       suits="hair", bias="curly coily wavy"),
    _l("hair-care/treatments/masks", "Hair masks", "Hair Mask", "hair mask", 10, 36, "200 ml",
       "keratin shea-butter argan-oil rice-protein", "Bond Repair,Intense Repair,Overnight,Protein",
       suits="hair", bias="damaged colour-treated thick"),
    _l("hair-care/treatments/oils", "Hair oils", "Hair Oil", "hair oil", 12, 40, "50 ml,100 ml",
       "argan-oil jojoba-oil castor-oil rosehip-oil", "Shine,Frizz Control,Nourishing,Finishing",
       suits="hair", bias="thick curly coily"),
    _l("hair-care/treatments/scalp-serums", "Scalp serums", "Scalp Serum", "scalp serum", 16, 46, "50 ml",
       "caffeine niacinamide biotin tea-tree-oil", "Thickening,Root Boost,Balancing", suits="hair", bias="fine",
       w=1),
    _l("hair-care/styling/curl-creams", "Curl creams", "Curl Cream", "curl cream", 9, 28, "150 ml",
       "shea-butter coconut-oil aloe-vera glycerin", "Defining,Bouncy,Soft Hold,Coil", suits="hair",
       bias="curly coily wavy"),
    _l("hair-care/styling/heat-protectants", "Heat protectants", "Heat Protect Spray", "heat protectant", 8, 26,
       "150 ml", "keratin panthenol dimethicone argan-oil", "Thermal,Blow-Dry,Sleek", suits="hair",
       bias="straight fine damaged", w=1),
    _l("hair-care/styling/dry-shampoos", "Dry shampoos", "Dry Shampoo", "dry shampoo", 5, 18, "200 ml",
       "rice-starch kaolin green-tea", "Invisible,Volumising,Refreshing", suits="hair", bias="fine straight", w=1),
    _l("body-care/moisturisers/lotions", "Body lotions", "Body Lotion", "body lotion", 6, 26, "250 ml,400 ml",
       "shea-butter urea glycerin oat-extract ceramide-np", "Daily,Intensive,Soothing,Light",
       suits="skin", bias="dry normal sensitive"),
    _l("body-care/moisturisers/butters", "Body butters", "Body Butter", "body butter", 9, 30, "200 ml",
       "shea-butter cocoa-butter coconut-oil tocopherol", "Whipped,Rich,Melting", suits="skin", bias="dry"),
    _l("body-care/moisturisers/oils", "Body oils", "Body Oil", "body oil", 12, 40, "100 ml",
       "jojoba-oil rosehip-oil argan-oil squalane", "Fast-Absorbing,Glow,Nourishing", "dewy shimmer", suits="skin",
       bias="dry normal", w=1),
    _l("body-care/bath-shower/shower-gels", "Shower gels", "Shower Gel", "shower gel", 4, 16, "300 ml,500 ml",
       "aloe-vera glycerin green-tea", "Fresh,Creamy,Gentle,Energising", suits="skin"),
    _l("body-care/bath-shower/scrubs", "Body scrubs", "Body Scrub", "body scrub", 9, 28, "200 g",
       "sucrose coconut-oil shea-butter glycolic-acid", "Smoothing,Polishing,Sugar", suits="skin",
       bias="normal dry oily", w=1),
    _l("body-care/hands-feet/hand-creams", "Hand creams", "Hand Cream", "hand cream", 4, 22, "75 ml,30 ml",
       "shea-butter urea glycerin allantoin ceramide-np", "Repair,Rich,Non-Greasy,Overnight", suits="skin",
       bias="dry sensitive normal"),
    _l("body-care/hands-feet/foot-creams", "Foot creams", "Foot Cream", "foot cream", 5, 18, "100 ml",
       "urea salicylic-acid shea-butter lactic-acid", "Cracked Heel,Smoothing,Softening", suits="skin", bias="dry",
       w=1),
]
LINES = {
    "skin-care": ["Hydra-Glow", "Pure Balance", "Skin Reset", "Barrier Love", "Calm Cica", "Clear Days", "Dew Drop",
                  "Bright Theory", "Cloud Soft", "Daily Ritual", "Night Shift", "Aqua Veil", "Bare Skin"],
    "make-up": ["Second Skin", "Velvet Hour", "Soft Focus", "Colour Edit", "Pro Artist", "Stay Put", "Glow Getter",
                "Everyday Edit", "Studio", "Petal Pop"],
    "hair-care": ["Bond Fix", "Curl Theory", "Moisture Lock", "Hair Ritual", "Silk Strands", "Volume Lift",
                  "Colour Guard", "Root Rescue"],
    "body-care": ["Body Bliss", "Silk Touch", "Sea Salt & Sage", "Cocoon", "Daily Nourish", "Velvet Body",
                  "Shea Dream"],
}


def _b(id_, name, depts, tier, count, vegan, cruelty_free=0.85):
    return {"id": id_, "name": name, "depts": depts.split(), "tier": tier, "count": count, "vegan": vegan,
            "cruelty_free": cruelty_free}


BRANDS = [  # invented names; tier scales prices; count is the number of products
    _b("aurelle", "Aurelle", "skin-care make-up hair-care body-care", 1.0, 72, 0.5, 0.95),
    _b("velmora", "Velmora", "make-up", 1.6, 14, 0.3),
    _b("sorelle-skin", "Sorelle Skin", "skin-care", 1.6, 12, 0.4),
    _b("nordvik", "Nordvik Naturals", "skin-care body-care", 1.0, 11, 0.9, 1.0),
    _b("kalani", "Kalani Botanics", "skin-care hair-care body-care", 1.0, 10, 1.0, 1.0),
    _b("maison-orrery", "Maison Orrery", "skin-care make-up", 1.8, 9, 0.2, 0.5),
    _b("petalwise", "Petalwise", "make-up", 0.6, 13, 0.8),
    _b("dermaquill", "Dermaquill", "skin-care", 1.0, 12, 0.3, 0.7),
    _b("brume-and-bloom", "Brume & Bloom", "body-care skin-care", 1.0, 8, 0.7),
    _b("solenne", "Solenne", "skin-care make-up", 1.6, 8, 0.3),
    _b("haverly", "Haverly & Co.", "hair-care", 1.0, 10, 0.5),
    _b("mirabay", "Mirabay", "body-care", 0.6, 8, 0.6),
    _b("clove-and-cedar", "Clove & Cedar", "body-care hair-care", 1.0, 7, 0.8, 1.0),
    _b("oakmere", "Oakmere Apothecary", "skin-care body-care", 1.6, 8, 0.6),
    _b("lunaire", "Lunaire Cosmetics", "make-up", 1.0, 12, 0.4),
    _b("rouge-atelier", "Rouge Atelier", "make-up", 1.6, 9, 0.1, 0.5),
    _b("saltgrass", "Saltgrass", "hair-care body-care", 1.0, 7, 0.9, 1.0),
    _b("tessaly", "Tessaly", "skin-care", 0.6, 10, 0.6),
    _b("verdanne", "Verdanne", "skin-care hair-care", 1.0, 8, 1.0, 1.0),
    _b("komi-lab", "Komi Lab", "skin-care", 1.0, 9, 0.7),
    _b("noctara", "Noctara", "skin-care make-up", 1.6, 7, 0.5),
    _b("plumfield", "Plumfield", "make-up", 0.6, 10, 0.5),
    _b("ebbwater", "Ebbwater", "skin-care body-care", 0.6, 8, 0.6),
    _b("ciel-minerale", "Ciel Minérale", "make-up skin-care", 1.0, 8, 0.7),
    _b("fernhollow", "Fernhollow", "hair-care body-care", 0.6, 7, 1.0, 1.0),
    _b("ondessa", "Ondessa Hair", "hair-care", 1.6, 9, 0.4),
    _b("coilcraft", "Coilcraft", "hair-care", 1.0, 9, 0.9),
    _b("strand-theory", "Strand Theory", "hair-care", 1.0, 8, 0.5),
    _b("marisol-bay", "Marisol Bay", "body-care", 0.6, 6, 0.6),
    _b("honeyrue", "Honeyrue", "body-care skin-care", 1.0, 6, 0.0, 0.7),
    _b("quillon", "Quillon Derm", "skin-care", 1.0, 8, 0.3),
    _b("belle-riviere", "Belle Rivière", "skin-care make-up body-care", 1.6, 8, 0.4),
    _b("lyssa", "Lyssa Beauty", "make-up", 0.6, 9, 0.5),
]
# Where shoppers go next from a category (also-bought candidates; the product's own leaf is left out).
COMPLEMENTS = {
    "skin-care/cleansers": ["skin-care/serums", "skin-care/moisturisers"],
    "skin-care/serums": ["skin-care/moisturisers", "skin-care/sun-care", "skin-care/eye-care"],
    "skin-care/moisturisers": ["skin-care/serums", "skin-care/sun-care", "skin-care/cleansers"],
    "skin-care/sun-care": ["skin-care/moisturisers", "make-up/face"],
    "skin-care/masks": ["skin-care/serums", "skin-care/cleansers"],
    "skin-care/eye-care": ["skin-care/serums", "skin-care/moisturisers"],
    "make-up/face": ["make-up/face", "make-up/eyes", "make-up/lips"],
    "make-up/eyes": ["make-up/eyes", "make-up/face"],
    "make-up/lips": ["make-up/lips", "make-up/face"],
    "hair-care/shampoos": ["hair-care/conditioners", "hair-care/treatments"],
    "hair-care/conditioners": ["hair-care/shampoos", "hair-care/treatments", "hair-care/styling"],
    "hair-care/treatments": ["hair-care/conditioners", "hair-care/styling"],
    "hair-care/styling": ["hair-care/treatments", "hair-care/conditioners"],
    "body-care/moisturisers": ["body-care/bath-shower", "body-care/hands-feet"],
    "body-care/bath-shower": ["body-care/moisturisers"],
    "body-care/hands-feet": ["body-care/moisturisers"],
}
# Routines sold as a pair (bought_together), matched within a brand.
PAIRS = [
    ("hair-care/shampoos/clarifying", "hair-care/conditioners/rinse-out"),
    ("hair-care/shampoos/moisturising", "hair-care/conditioners/rinse-out"),
    ("hair-care/shampoos/colour-care", "hair-care/conditioners/rinse-out"),
    ("skin-care/cleansers/gel", "skin-care/moisturisers/gel-moisturisers"),
    ("skin-care/serums/vitamin-c", "skin-care/sun-care/face-spf"),
    ("skin-care/serums/retinol", "skin-care/moisturisers/night-creams"),
    ("make-up/face/foundations", "make-up/face/primers"),
    ("make-up/face/foundations", "make-up/face/concealers"),
    ("make-up/eyes/mascaras", "make-up/eyes/eyeliners"),
    ("make-up/lips/lipsticks", "make-up/lips/glosses"),
    ("body-care/bath-shower/shower-gels", "body-care/moisturisers/lotions"),
    ("body-care/bath-shower/scrubs", "body-care/moisturisers/oils"),
]

# The mapping is written verbatim as whyrec.yaml; it is also the README's worked example.
MAPPING = """\
# whyrec.yaml: how the demo shop's tables become a knowledge graph.
# Written by generate.py; edit MAPPING in catalog_data.py and rerun, not this file.
#
# Every node gets the IRI <namespace><type in lower case>/<id>, e.g.
#   https://id.whyrec.dev/demo/brand/aurelle   https://id.whyrec.dev/demo/skintype/oily
# so the same id written in two tables (a product's brand column, a row of brands.csv)
# is one node. Relation names (brand, suits, purchased, ...) are whyrec's defaults
# (`whyrec rules vocab` lists them); any other name becomes a relation of this shop.
namespace: https://id.whyrec.dev/demo/

# Which node types are the items and the users (these are the defaults), and the word for
# the people counted in reasons ("12 other shoppers bought ..."), per language.
items: Product
users: User
audience: {en: shoppers, zh: 顾客}

# Relations the default vocabulary lacks: how to say them in an explanation.
relations:
  line:
    label: {en: product line, zh: 产品系列}
    inverse: {en: product line of, zh: 系列产品}
    phrases: {en: [belongs to the line, is part of the range], zh: [属于, 来自系列]}

# Node tables: one row is one thing. `id` names it, `label` is how it is shown,
# each entry under `columns` turns a cell into facts about it.
nodes:
  - file: products.csv
    type: Product
    id: product_id                  # p0001, p0002, ...
    label: {en: name, zh: name_zh}  # a name per language: Chinese reasons say name_zh
    columns:
      brand:       {relation: brand, type: Brand}           # a node: brand/aurelle
      line:        {relation: line, type: ProductLine}      # custom relation, declared above
      short_name:  {relation: short_label}                  # how reasons may say it for short (unique)
      category:    {relation: category, type: Category}     # the leaf, e.g. skin-care/serums/vitamin-c
      price:       {relation: price, datatype: decimal, currency: EUR}   # a value, not a node
      size:        {relation: size}                         # text value: "30 ml"
      finish:      {relation: finish, type: Finish}         # empty cells add nothing
      colour:      {relation: colour, type: Colour}         # shade ids, named in colours.csv
      ingredients: {relation: ingredient, type: Ingredient, split: "|"}   # several per cell
      suits:       {relation: suits, type: SkinType, split: "|"}
      hair_types:  {relation: suits, type: HairType, split: "|"}        # same relation, other type
      claims:      {relation: claim, type: Claim, split: "|"}           # vegan, cruelty-free, ...

  # Tables that only give names to ids used above.
  - {file: brands.csv, type: Brand, id: brand_id, label: {en: name, zh: name_zh}}
  - {file: lines.csv, type: ProductLine, id: line_id, label: {en: name, zh: name_zh}}
  - {file: ingredients.csv, type: Ingredient, id: ingredient_id, label: {en: name, zh: name_zh}}
  - {file: colours.csv, type: Colour, id: colour_id, label: {en: name, zh: name_zh}}
  - {file: finishes.csv, type: Finish, id: id, label: {en: name, zh: name_zh}}
  - {file: skin_types.csv, type: SkinType, id: id, label: {en: name, zh: name_zh}}
  - {file: hair_types.csv, type: HairType, id: id, label: {en: name, zh: name_zh}}
  - {file: claims.csv, type: Claim, id: id, label: {en: name, zh: name_zh}}

  # The category tree: department > category > subcategory, each row points to its parent.
  - file: categories.csv
    type: Category
    id: category_id
    label: {en: name, zh: name_zh}
    columns:
      parent: {relation: parent, type: Category}   # empty for the four departments

  # Users are ids only. A stated budget (the most they like to spend on one item) is a value.
  - file: users.csv
    type: User
    id: user_id
    columns:
      budget: {relation: budget, datatype: decimal, currency: EUR}

# Fact tables: one row is one link between two nodes; `values` are attached to that
# link (the score of one rating), not to the user or the product.
facts:
  - file: purchases.csv
    subject: {column: user_id, type: User}
    relation: purchased
    object: {column: product_id, type: Product}
    values:
      date: {column: date, datatype: date}

  - file: ratings.csv
    subject: {column: user_id, type: User}
    relation: rated
    object: {column: product_id, type: Product}
    values:
      score:   {column: rating, datatype: decimal, unit: stars}   # 1 to 5
      summary: {column: summary}                     # the review's headline
      date:    {column: date, datatype: date}

  - file: views.csv
    subject: {column: user_id, type: User}
    relation: viewed
    object: {column: product_id, type: Product}
    values:
      date: {column: date, datatype: date}

  # Stated preferences: the relation comes from a column, the object's type too
  # (u007 prefers Claim vegan, u012 prefers Brand aurelle, u020 prefers SkinType oily).
  - file: preferences.csv
    subject: {column: user_id, type: User}
    relation: {column: relation}
    object: {column: value, type_column: value_type}

  # Product-to-product links: also_bought, also_viewed, bought_together.
  - file: links.csv
    subject: {column: product_id, type: Product}
    relation: {column: relation}
    object: {column: other_id, type: Product}
"""
