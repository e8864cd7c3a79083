"""Last-layer fine-tuning of the PP-OCRv6 small recognizer on CPU (issue 14). See README.md."""
