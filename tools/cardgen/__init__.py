"""Synthetic generator for Chinese second-generation resident ID cards (第二代居民身份证).

Run as ``python -m tools.cardgen --out DIR --count N --seed S``; see README.md.
Library entry points: :func:`tools.cardgen.generate.generate_set` and
:func:`tools.cardgen.generate.generate_one`.
"""
