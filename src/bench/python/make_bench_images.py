#!/usr/bin/env python3
"""Writes the benchmark image set: a labelled ImageFolder of photo-sized JPEGs.

    /usr/bin/python3 src/bench/python/make_bench_images.py OUT_DIR --classes 10 --per-class 40 --seed 1

Layout (what torchvision's ImageFolder and Thaw both read):

    OUT_DIR/train/<class>/<class>_<nnnn>.jpg    --per-class images per class
    OUT_DIR/val/<class>/<class>_<nnnn>.jpg      --val-per-class images per class (default per-class / 4)
    OUT_DIR/dataset.json                        the settings that made it

Images are 500x375 (one in five 375x500), JPEG quality 90 with 4:2:0 chroma subsampling, like a
phone photo scaled down, so decoding and resizing cost what they cost on users' pictures. Each class
is an object kind with three cues, each blurred by per-image jitter: a shape, a surface texture
(stripes, dots or rings at a class-specific scale and angle) and a hue band that overlaps its
neighbours'. Objects sit at random places, sizes and rotations over a cluttered, unevenly lit
natural-looking background (1/f noise in an earthy/sky palette) with distractor blobs that
sometimes occlude them, then get lens blur and sensor noise. Learnable, not trivial.

Deterministic: every image has its own generator seeded from (seed, split, class, index), so the
same arguments give the same pixels, independent of order; the JPEG bytes are the same for the same
Pillow/libjpeg build. Only numpy and Pillow are used.
"""
import argparse
import colorsys
import json
import math
import os

import numpy as np
from PIL import Image, ImageFilter

SHAPES = ["circle", "square", "triangle", "ring", "cross", "star", "hexagon", "diamond", "crescent", "capsule"]
TEXTURES = ["stripes", "dots", "rings"]
LANDSCAPE = (500, 375)
PORTRAIT_EVERY = 5  # one image in five is portrait (375x500)
SPLITS = ("train", "val")


def class_name(c):
    # Zero-padded so that every tool's sorted order (ImageFolder's, Thaw's) gives the same labels.
    return "%02d-%s" % (c, SHAPES[c % len(SHAPES)])


def class_style(c):
    """The class's fixed cues; each image jitters around them."""
    return {
        "shape": SHAPES[c % len(SHAPES)],
        "texture": TEXTURES[c % len(TEXTURES)],
        "hue": (c * 0.618034) % 1.0,            # golden-ratio steps spread hues evenly
        "angle": math.radians((c * 47) % 180),
        "period": 7.0 + (c * 5) % 13,          # texture period in pixels at object scale 1
    }


def shape_mask(shape, u, v):
    """Inside-test of a unit-size shape in the object's own (rotated, scaled) coordinates."""
    r = np.sqrt(u * u + v * v)
    if shape == "circle":
        return r < 1.0
    if shape == "square":
        return np.maximum(np.abs(u), np.abs(v)) < 0.8
    if shape == "triangle":
        return np.maximum(np.abs(u) * 0.866 + v * 0.5, -v) < 0.5
    if shape == "ring":
        return (r < 1.0) & (r > 0.55)
    if shape == "cross":
        return ((np.abs(u) < 0.3) & (np.abs(v) < 1.0)) | ((np.abs(v) < 0.3) & (np.abs(u) < 1.0))
    if shape == "star":
        return r < 0.5 + 0.4 * np.cos(5.0 * np.arctan2(v, u))
    if shape == "hexagon":
        return np.maximum(np.abs(u) * 0.866 + np.abs(v) * 0.5, np.abs(v)) < 0.85
    if shape == "diamond":
        return np.abs(u) + np.abs(v) < 1.0
    if shape == "crescent":
        return (r < 1.0) & ((u - 0.45) ** 2 + v * v > 0.65)
    if shape == "capsule":
        return (np.abs(v) < 0.32) & (np.abs(u) < 1.0) | ((np.abs(u) - 0.68) ** 2 + v * v < 0.1)
    raise ValueError(shape)


def pink_noise(rng, h, w, beta=2.0):
    """Zero-mean, unit-std 1/f^(beta/2) noise: the power spectrum of natural scenes."""
    fy = np.fft.fftfreq(h)[:, None]
    fx = np.fft.rfftfreq(w)[None, :]
    f = np.sqrt(fx * fx + fy * fy)
    f[0, 0] = 1.0
    spectrum = (rng.standard_normal((h, w // 2 + 1)) + 1j * rng.standard_normal((h, w // 2 + 1))) / f ** (beta / 2)
    spectrum[0, 0] = 0.0
    field = np.fft.irfft2(spectrum, s=(h, w))
    return (field - field.mean()) / (field.std() + 1e-8)


def hsv(h, s, v):
    return np.array(colorsys.hsv_to_rgb(h % 1.0, min(max(s, 0.0), 1.0), min(max(v, 0.0), 1.0)), dtype=np.float32)


def background(rng, h, w, yy):
    """An earthy or sky-like palette blended by 1/f noise, with a soft horizon."""
    base_hue = rng.choice([0.08, 0.12, 0.25, 0.33, 0.55, 0.6]) + rng.normal(0, 0.03)
    colors = [hsv(base_hue + rng.normal(0, 0.06), rng.uniform(0.05, 0.35), rng.uniform(0.25, 0.9)) for _ in range(3)]
    n1 = pink_noise(rng, h, w, beta=rng.uniform(1.8, 2.6))
    n2 = pink_noise(rng, h, w, beta=rng.uniform(1.4, 2.2))
    t1 = 1.0 / (1.0 + np.exp(-1.5 * n1))
    t2 = 1.0 / (1.0 + np.exp(-1.5 * n2))
    img = colors[0] * (1 - t1)[..., None] + colors[1] * t1[..., None]
    img = img * (1 - 0.5 * t2)[..., None] + colors[2] * (0.5 * t2)[..., None]
    horizon = rng.uniform(0.25, 0.75) * h
    sky = 1.0 / (1.0 + np.exp((yy - horizon) / rng.uniform(8, 40)))
    sky_color = hsv(rng.uniform(0.5, 0.65), rng.uniform(0.1, 0.5), rng.uniform(0.6, 1.0))
    amount = rng.uniform(0.0, 0.7)
    return img * (1 - amount * sky)[..., None] + sky_color * (amount * sky)[..., None]


def texture(kind, up, vp, angle, period, phase):
    """Values in [0, 1] over the object's pixel coordinates (up, vp)."""
    a = up * math.cos(angle) + vp * math.sin(angle)
    if kind == "stripes":
        t = np.sin(2 * math.pi * a / period + phase)
    elif kind == "dots":
        b = -up * math.sin(angle) + vp * math.cos(angle)
        t = np.sin(2 * math.pi * a / period + phase) * np.sin(2 * math.pi * b / period)
    else:  # rings
        t = np.sin(2 * math.pi * np.sqrt(up * up + vp * vp) / period + phase)
    return 0.5 + 0.5 * t


def paste(img, mask, color_field, softness):
    """Alpha-composites color_field over img through an anti-aliased mask."""
    m = Image.fromarray((mask * 255).astype(np.uint8))
    m = np.asarray(m.filter(ImageFilter.GaussianBlur(softness)), dtype=np.float32)[..., None] / 255.0
    return img * (1 - m) + color_field * m


def draw_object(rng, img, yy, xx, style, size):
    h, w = img.shape[:2]
    cx = rng.uniform(0.15, 0.85) * w
    cy = rng.uniform(0.15, 0.85) * h
    rot = rng.uniform(0, 2 * math.pi)
    sx = size * rng.uniform(0.85, 1.15)  # slight anisotropy: seen at an angle
    sy = size * rng.uniform(0.85, 1.15)
    dx, dy = xx - cx, yy - cy
    up = dx * math.cos(rot) + dy * math.sin(rot)
    vp = -dx * math.sin(rot) + dy * math.cos(rot)
    mask = shape_mask(style["shape"], up / sx, vp / sy)
    scale = size / 80.0
    period = style["period"] * rng.uniform(0.8, 1.25) * max(scale, 0.6)
    angle = style["angle"] + rng.normal(0, 0.25)
    t = texture(style["texture"], up, vp, angle, period, rng.uniform(0, 2 * math.pi))
    hue = style["hue"] + rng.normal(0, 0.03)
    a = hsv(hue, rng.uniform(0.6, 0.95), rng.uniform(0.6, 0.95))
    b = hsv(hue + rng.normal(0, 0.04), rng.uniform(0.2, 0.8), rng.uniform(0.1, 0.45))
    # Shading across the object, as if lit from one side.
    shade = 1.0 + 0.25 * np.clip((up * math.cos(rot * 0.7) + vp * math.sin(rot * 0.7)) / max(sx, 1.0), -1, 1)
    field = (a * t[..., None] + b * (1 - t)[..., None]) * shade[..., None]
    return paste(img, mask, field, rng.uniform(0.6, 1.6))


def draw_distractor(rng, img, yy, xx, size, grain):
    h, w = img.shape[:2]
    cx, cy = rng.uniform(0, w), rng.uniform(0, h)
    rot = rng.uniform(0, math.pi)
    dx, dy = xx - cx, yy - cy
    up = dx * math.cos(rot) + dy * math.sin(rot)
    vp = -dx * math.sin(rot) + dy * math.cos(rot)
    k = rng.integers(3, 7)
    wobble = 1.0 + 0.25 * np.cos(k * np.arctan2(vp, up) + rng.uniform(0, 6.3))
    mask = (up / (size * rng.uniform(0.5, 1.5))) ** 2 + (vp / (size * rng.uniform(0.4, 1.0))) ** 2 < wobble ** 2
    color = hsv(rng.uniform(0, 1), rng.uniform(0.1, 0.5), rng.uniform(0.2, 0.9))
    field = np.clip(color * (1.0 + 0.2 * grain), 0, 1.2)
    return paste(img, mask, field, rng.uniform(1.0, 3.0))


def make_image(seed, split, c, i):
    rng = np.random.default_rng([seed, SPLITS.index(split), c, i])
    w, h = LANDSCAPE if i % PORTRAIT_EVERY != PORTRAIT_EVERY - 1 else LANDSCAPE[::-1]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    img = background(rng, h, w, yy)
    style = class_style(c)
    short = min(w, h)
    grain = pink_noise(rng, h, w, beta=2.5)[..., None]  # one surface grain shared by the distractors
    for _ in range(rng.integers(0, 3)):  # distractors behind
        img = draw_distractor(rng, img, yy, xx, short * rng.uniform(0.05, 0.16), grain)
    for _ in range(1 if rng.uniform() < 0.7 else 2):
        img = draw_object(rng, img, yy, xx, style, short * rng.uniform(0.3, 0.48))
    for _ in range(rng.integers(0, 2)):  # distractors in front: partial occlusion
        img = draw_distractor(rng, img, yy, xx, short * rng.uniform(0.04, 0.12), grain)
    # Uneven illumination, lens blur, sensor noise.
    light = 1.0 + 0.25 * pink_noise(rng, h, w, beta=3.5)
    img = img * light[..., None] * rng.uniform(0.75, 1.15)
    img = img + rng.normal(0, rng.uniform(0.005, 0.025), img.shape).astype(np.float32)
    out = Image.fromarray((np.clip(img, 0, 1) * 255 + 0.5).astype(np.uint8), "RGB")
    return out.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 1.0)))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir")
    parser.add_argument("--classes", type=int, default=10)
    parser.add_argument("--per-class", type=int, default=40, help="training images per class (default 40)")
    parser.add_argument("--val-per-class", type=int, default=None,
                        help="validation images per class (default per-class / 4, at least 1)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quality", type=int, default=90, help="JPEG quality (default 90)")
    args = parser.parse_args(argv)
    val_per_class = args.val_per_class if args.val_per_class is not None else max(1, args.per_class // 4)

    counts = {"train": args.per_class, "val": val_per_class}
    total = 0
    for split in SPLITS:
        for c in range(args.classes):
            folder = os.path.join(args.out_dir, split, class_name(c))
            os.makedirs(folder, exist_ok=True)
            for i in range(counts[split]):
                img = make_image(args.seed, split, c, i)
                img.save(os.path.join(folder, "%s_%04d.jpg" % (class_name(c), i)), "JPEG",
                         quality=args.quality, subsampling="4:2:0", optimize=False)
                total += 1
        print("%s: %d classes x %d images" % (split, args.classes, counts[split]))
    meta = {"classes": [class_name(c) for c in range(args.classes)], "train_per_class": args.per_class,
            "val_per_class": val_per_class, "seed": args.seed, "jpeg_quality": args.quality,
            "sizes": ["%dx%d" % LANDSCAPE, "%dx%d (every %dth)" % (LANDSCAPE[1], LANDSCAPE[0], PORTRAIT_EVERY)],
            "generator": "src/bench/python/make_bench_images.py"}
    with open(os.path.join(args.out_dir, "dataset.json"), "w") as f:
        json.dump(meta, f, indent=2)
        f.write("\n")
    print("wrote %d images to %s" % (total, args.out_dir))


if __name__ == "__main__":
    main()
