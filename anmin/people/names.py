"""Synthetic Chinese names for the demo world and benchmarks (deterministic from the caller's RNG)."""

from __future__ import annotations

import random

# Common surnames, most frequent first; the weights follow their rough share in Henan.
SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏"
    "钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
)
_SURNAME_WEIGHTS = [max(1.0, 30.0 / (1 + i * 0.35)) for i in range(len(SURNAMES))]
MALE = "伟强磊军勇杰涛明超刚平辉鹏华飞斌宇浩凯健俊帆建国志军海峰亮成林东文博晨阳雷振鑫洪彬旭"
FEMALE = "芳娜敏静丽艳娟霞秀英华玉兰梅红燕萍婷雪琳慧晶颖倩洁莉佳琪欣悦琴云凤珍桂荣"


def person_name(rng: random.Random, *, male: bool) -> str:
    surname = rng.choices(SURNAMES, weights=_SURNAME_WEIGHTS)[0]
    chars = MALE if male else FEMALE
    given = rng.choice(chars) + (rng.choice(chars) if rng.random() < 0.7 else "")
    return surname + given


def phone_number(rng: random.Random) -> str:
    return "1" + rng.choice("3578") + "".join(rng.choice("0123456789") for _ in range(9))
