#!/usr/bin/env bash
# Makes the few test images Java cannot write: WebP (javax.imageio and TwelveMonkeys only read it).
# Needs ImageMagick with WebP support (Debian: imagemagick). Run from this folder; commit the output.
set -euo pipefail
cd "$(dirname "$0")"
# lossy WebP, 48x32: red at the top, blue at the bottom
convert -size 48x32 gradient:red-blue -define webp:lossless=false -quality 90 lossy.webp
# lossless WebP with alpha, 48x32: a half-transparent green disc on a transparent background
convert -size 48x32 xc:none -fill 'rgba(0,128,0,0.5)' -draw 'circle 24,16 24,4' -define webp:lossless=true alpha.webp
ls -l lossy.webp alpha.webp
