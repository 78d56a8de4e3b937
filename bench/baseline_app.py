"""The bare baseline for bench/webhook.py: a Flask app that only verifies the signature.

It does what every LINE webhook must do before any work (read the raw body,
check ``x-line-signature`` with the SDK's validator, parse the JSON) and
answers 200, so the benchmark can say how much of the product's cost is its
own. Served by the same gunicorn settings as the product:

    gunicorn 'baseline_app:create_app()' --config gunicorn.conf.py --pythonpath bench
"""
from __future__ import annotations

import json
import os

from flask import Flask, jsonify, request
from linebot.v3 import SignatureValidator


def create_app() -> Flask:
    """Build the baseline app; the secret comes from LINE_CHANNEL_SECRET as in the product."""
    app = Flask(__name__)
    validator = SignatureValidator(os.environ["LINE_CHANNEL_SECRET"])

    @app.post("/callback")
    def callback():
        body = request.get_data(as_text=True)
        if not validator.validate(body, request.headers.get("x-line-signature", "")):
            return jsonify(error="invalid signature"), 400
        events = json.loads(body).get("events", [])
        return jsonify(status="ok", handled=len(events))

    @app.get("/healthz")
    def healthz():
        return jsonify(status="ok")

    return app
