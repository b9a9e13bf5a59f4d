"""The product catalogue: categories, fake brands and USD list prices."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from livewh.generate.tables import Frame, Text, concat_strings, int_strings

CATEGORIES = (
    "beauty",
    "skincare",
    "apparel",
    "accessories",
    "home",
    "electronics",
    "snacks",
    "pet",
    "toys",
    "sports",
)
CATEGORY_CODES = ("BEA", "SKN", "APP", "ACC", "HOM", "ELE", "SNK", "PET", "TOY", "SPO")
CATEGORY_SHARE = np.array([0.16, 0.14, 0.16, 0.09, 0.09, 0.10, 0.08, 0.06, 0.06, 0.06])
CONSUMABLES = ("beauty", "skincare", "snacks", "pet")
IS_CONSUMABLE = np.array([category in CONSUMABLES for category in CATEGORIES])
PRICE_MEDIAN_USD = np.array([18.0, 24.0, 29.0, 19.0, 27.0, 59.0, 9.0, 15.0, 17.0, 25.0])

BRANDS = (
    "Aurelle",
    "Mirabay",
    "Kotori",
    "Nuvo",
    "Solenne",
    "Velaro",
    "Tidepool",
    "Orchid Row",
    "Lumo",
    "Haven",
)
ITEMS: dict[str, tuple[str, ...]] = {
    "beauty": ("matte lipstick", "volume mascara", "cushion foundation", "eyeshadow palette", "blush stick"),
    "skincare": ("hydrating serum 30 ml", "sunscreen SPF50", "sheet mask, 10 pack", "night cream", "toner"),
    "apparel": ("linen shirt", "wide-leg trousers", "knit cardigan", "summer dress", "hoodie"),
    "accessories": ("canvas tote", "silk scarf", "hair clip set", "sunglasses", "crossbody bag"),
    "home": ("scented candle", "ceramic mug set", "storage baskets", "cotton throw", "desk lamp"),
    "electronics": ("wireless earbuds", "power bank 10000 mAh", "ring light", "smart watch", "phone gimbal"),
    "snacks": ("seaweed crisps", "matcha cookies", "dried mango", "spicy noodles, 5 pack", "milk tea kit"),
    "pet": ("cat treats", "dog chew toy", "grooming brush", "pet bed", "salmon kibble 2 kg"),
    "toys": ("building blocks", "plush bunny", "puzzle 500 pieces", "RC car", "craft kit"),
    "sports": ("yoga mat", "resistance bands", "water bottle", "running socks, 3 pack", "gym gloves"),
}


@dataclass(frozen=True)
class Catalog:
    """Products ordered by category, so each category is a contiguous range of indices."""

    product_id: pa.Array
    category: np.ndarray  # category index per product
    list_price_usd: np.ndarray  # USD
    title: pa.Array
    category_start: np.ndarray
    category_size: np.ndarray

    def __len__(self) -> int:
        return len(self.category)

    def pick(self, category: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """A product of each category; low indices are the bestsellers."""
        category = np.asarray(category, dtype=np.int64)
        skewed = np.floor(self.category_size[category] * rng.random(len(category)) ** 1.8).astype(np.int64)
        return self.category_start[category] + skewed

    def frame(self) -> Frame:
        return {
            "product_id": Text.of(self.product_id),
            "category": Text.pick(CATEGORIES, self.category),
            "title": Text.of(self.title),
            "list_price": np.round(self.list_price_usd * 100).astype(np.int64),
            "currency": Text.constant("USD", len(self)),
        }


def draw_category(n: int, rng: np.random.Generator) -> np.ndarray:
    return rng.choice(len(CATEGORIES), size=n, p=CATEGORY_SHARE / CATEGORY_SHARE.sum())


def make_catalog(n_products: int, rng: np.random.Generator) -> Catalog:
    sizes = np.maximum(2, np.floor(CATEGORY_SHARE / CATEGORY_SHARE.sum() * n_products)).astype(np.int64)
    sizes[0] += n_products - sizes.sum()  # beauty absorbs the rounding
    category = np.repeat(np.arange(len(CATEGORIES)), sizes)
    number = np.concatenate([np.arange(1, size + 1) for size in sizes])
    product_id = concat_strings(
        "SKU-", Text.pick(CATEGORY_CODES, category).to_arrow(), "-", int_strings(number, 4)
    )
    price = PRICE_MEDIAN_USD[category] * rng.lognormal(0.0, 0.45, size=len(category))
    list_price = np.maximum(1.0, np.round(price)) - 0.01
    brand = Text.pick(BRANDS, rng.integers(0, len(BRANDS), len(category))).to_arrow()
    item_vocabulary = [item for name in CATEGORIES for item in ITEMS[name]]
    item = category * 5 + rng.integers(0, 5, len(category))
    title = concat_strings(brand, " ", Text.pick(item_vocabulary, item).to_arrow())
    return Catalog(
        product_id=product_id,
        category=category,
        list_price_usd=list_price,
        title=title,
        category_start=np.concatenate([[0], np.cumsum(sizes)[:-1]]),
        category_size=sizes,
    )
