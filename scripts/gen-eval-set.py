#!/usr/bin/env python3
"""Generate an independent labeled evaluation set for leakshield.

    python3 scripts/gen-eval-set.py OUTDIR [--seed N]

Writes OUTDIR/positive/<case>..., OUTDIR/negative/<case>... and
OUTDIR/labels.jsonl with one {"file", "label", "kind", "variant"} object per file.

Every secret is generated at run time (random, with the real format and, where
the provider has one, the real checksum), so nothing in this file is a live
credential.  File names are neutral (p0001.py, n0001/Dockerfile, ...) so that
the scanner cannot learn the label from the path.  Stdlib only.
"""
import argparse
import base64
import hashlib
import json
import os
import random
import shutil
import string
import sys
import uuid
import zlib

R = random.Random(0)

B62 = string.digits + string.ascii_uppercase + string.ascii_lowercase
ALNUM = string.ascii_letters + string.digits
LOWER = string.ascii_lowercase
UPPER = string.ascii_uppercase
LETTERS = string.ascii_letters
HEX = "0123456789abcdef"
B64 = ALNUM + "+/"
B64URL = ALNUM + "-_"
B32 = UPPER + "234567"
BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


# --------------------------------------------------------------------------
# random helpers
# --------------------------------------------------------------------------

def rs(alpha, n):
    return "".join(R.choice(alpha) for _ in range(n))


def rbytes(n):
    return bytes(R.getrandbits(8) for _ in range(n))


def b64(data):
    return base64.b64encode(data).decode()


def b64url_nopad(data):
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def ruuid():
    return str(uuid.UUID(int=R.getrandbits(128), version=4))


def pick(seq):
    return R.choice(seq)


def chance(p):
    return R.random() < p


def base62(n, width):
    out = ""
    while n:
        n, r = divmod(n, 62)
        out = B62[r] + out
    return out.rjust(width, "0")


def crc_token(prefix, nrand=30):
    body = rs(ALNUM, nrand)
    return prefix + body + base62(zlib.crc32(body.encode()) & 0xFFFFFFFF, 6)


def human_password():
    words = ["Summer", "Winter", "Falcon", "Tiger", "Orange", "Purple", "Rocket",
             "Silver", "Dragon", "Monkey", "Coffee", "Pepper", "Maple", "Comet"]
    sym = "!@#$%^&*-_+=?"
    style = R.randrange(4)
    if style == 0:
        return pick(words) + pick(words) + str(R.randrange(10, 9999)) + pick(sym)
    if style == 1:
        return rs(ALNUM + "!@#%^&*", R.randrange(14, 28))
    if style == 2:
        return rs(ALNUM, R.randrange(16, 33))
    return "".join(pick(words) for _ in range(3)) + pick(sym) + str(R.randrange(100))


def rand_user():
    return pick(["admin", "deploy", "svc_app", "ci-bot", "appuser", "root", "jenkins",
                 "backend", "etl_worker", "reporting", "mhernandez", "dev"])


def rand_host():
    return pick(["db.internal.acme.io", "10.0.12.7", "prod-db-01.c9xk2l.us-east-1.rds.amazonaws.com",
                 "pg.payments.svc.cluster.local", "mysql-primary", "cache.corp.example.net",
                 "analytics-db.eu-west-1.acme-cloud.com", "172.31.4.19"])


# --------------------------------------------------------------------------
# name helpers
# --------------------------------------------------------------------------

def snake(var):
    return var.lower()


def camel(var):
    parts = var.lower().split("_")
    return parts[0] + "".join(p.capitalize() for p in parts[1:])


def pascal(var):
    return "".join(p.capitalize() for p in var.lower().split("_"))


def dotted(var):
    return var.lower().replace("_", ".")


def kebab(var):
    return var.lower().replace("_", "-")


# --------------------------------------------------------------------------
# filler code per language
# --------------------------------------------------------------------------

FILL = {
    "py": [
        "import os\nimport sys\nimport json\n",
        "from dataclasses import dataclass\nfrom typing import Optional\n",
        "import logging\n\nlog = logging.getLogger(__name__)\n",
        "\n\ndef retry(fn, attempts=3):\n    for i in range(attempts):\n        try:\n            return fn()\n        except Exception as exc:  # noqa: BLE001\n            log.warning(\"attempt %d failed: %s\", i, exc)\n    raise RuntimeError(\"gave up\")\n",
        "\nTIMEOUT = 30\nMAX_RETRIES = 5\nREGION = \"us-east-1\"\n",
        "\n\nclass Cache:\n    def __init__(self):\n        self._d = {}\n\n    def get(self, k):\n        return self._d.get(k)\n",
        "\nif __name__ == \"__main__\":\n    main()\n",
    ],
    "js": [
        "'use strict';\n\nconst path = require('path');\nconst fs = require('fs');\n",
        "const axios = require(\"axios\");\n",
        "\nfunction sleep(ms) {\n  return new Promise((resolve) => setTimeout(resolve, ms));\n}\n",
        "\nconst PORT = process.env.PORT || 3000;\nconst TIMEOUT_MS = 15000;\n",
        "\n// TODO: move to config service\n",
        "\nmodule.exports.handler = async (event) => {\n  return { statusCode: 200, body: JSON.stringify({ ok: true }) };\n};\n",
    ],
    "ts": [
        "import { Injectable } from '@angular/core';\nimport { HttpClient } from '@angular/common/http';\n",
        "import express from \"express\";\nimport type { Request, Response } from \"express\";\n",
        "\nexport interface Config {\n  baseUrl: string;\n  timeoutMs: number;\n}\n",
        "\nconst DEFAULT_TIMEOUT = 10_000;\n",
        "\nexport function isProd(): boolean {\n  return process.env.NODE_ENV === 'production';\n}\n",
    ],
    "go": [
        "\nimport (\n\t\"context\"\n\t\"fmt\"\n\t\"net/http\"\n\t\"time\"\n)\n",
        "\nconst defaultTimeout = 30 * time.Second\n",
        "\nfunc must(err error) {\n\tif err != nil {\n\t\tpanic(err)\n\t}\n}\n",
        "\n// Client talks to the upstream API.\ntype Client struct {\n\thttp *http.Client\n\tbase string\n}\n",
    ],
    "java": [
        "import java.util.Properties;\nimport java.net.http.HttpClient;\nimport java.time.Duration;\n",
        "\n    private static final int TIMEOUT_SECONDS = 30;\n",
        "\n    public static void main(String[] args) throws Exception {\n        new App().run();\n    }\n",
        "\n    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();\n",
    ],
    "rb": [
        "require 'net/http'\nrequire 'json'\n",
        "\n# frozen_string_literal: true\n",
        "\ndef fetch(uri)\n  Net::HTTP.get_response(URI(uri))\nend\n",
        "\nTIMEOUT = 15\n",
    ],
    "php": [
        "\nuse GuzzleHttp\\Client;\nuse Psr\\Log\\LoggerInterface;\n",
        "\nfunction env_or($k, $d) {\n    $v = getenv($k);\n    return $v === false ? $d : $v;\n}\n",
        "\n$timeout = 30;\n",
    ],
    "cs": [
        "using System;\nusing System.Net.Http;\nusing System.Threading.Tasks;\n",
        "\n        private static readonly HttpClient Http = new HttpClient();\n",
        "\n        public int TimeoutSeconds { get; set; } = 30;\n",
    ],
    "rs": [
        "use std::time::Duration;\nuse reqwest::Client;\n",
        "\nconst TIMEOUT: Duration = Duration::from_secs(30);\n",
        "\nfn user_agent() -> String {\n    format!(\"acme-cli/{}\", env!(\"CARGO_PKG_VERSION\"))\n}\n",
    ],
    "sh": [
        "set -euo pipefail\n",
        "\nlog() { echo \"[$(date +%H:%M:%S)] $*\" >&2; }\n",
        "\nREGION=\"${REGION:-us-east-1}\"\n",
        "\ncd \"$(dirname \"$0\")/..\"\n",
    ],
}

COMMENTS = {
    "py": "#", "sh": "#", "rb": "#", "env": "#", "yml": "#", "toml": "#", "ini": ";",
    "properties": "#", "tf": "#", "js": "//", "ts": "//", "go": "//", "java": "//",
    "php": "//", "cs": "//", "rs": "//",
}

NOTE_COMMENTS = [
    "temporary, rotate after the demo", "prod credentials", "do not commit (oops)",
    "used by the nightly sync job", "copied from 1password", "staging", "fallback when env is missing",
    "service account for CI", "TODO remove", "see INFRA-2231",
]


HEADER_MARKS = ("import", "from ", "'use strict'", "const axios = require", "use ", "require ", "\nimport",
                "\nuse ", "using ", "set -euo", "\n# frozen")


def fill(lang, k=None, tail=False):
    """Some filler snippets in their natural order; tail=True leaves out imports."""
    pool = FILL.get(lang, [])
    if tail:
        pool = [p for p in pool if not p.lstrip("\n").startswith(HEADER_MARKS) and not p.startswith(HEADER_MARKS)]
    if not pool:
        return ""
    k = R.randint(0, min(3, len(pool))) if k is None else min(k, len(pool))
    idx = sorted(R.sample(range(len(pool)), k))
    return "".join(pool[i] for i in idx)


def comment(lang):
    c = COMMENTS.get(lang, "#")
    return f"{c} {pick(NOTE_COMMENTS)}\n" if chance(0.5) else ""


# --------------------------------------------------------------------------
# generic embedders: each takes pairs [(VAR, value), ...] and returns
# (file name suffix, text).  VAR is UPPER_SNAKE and carries the context.
# --------------------------------------------------------------------------

def q():
    return pick(['"', "'"])


def quoted(s, extra=""):
    c = pick(['"', "'"] + list(extra))
    return c + s + c


def emb_py(pairs):
    style = R.randrange(6)
    head = fill("py")
    cm = comment("py")
    if style == 0:
        body = cm + "".join(f"{v} = {quoted(s)}\n" for v, s in pairs)
    elif style == 1:
        body = "SETTINGS = {\n" + "".join(f"    \"{snake(v)}\": '{s}',\n" for v, s in pairs) + "}\n"
    elif style == 2:
        args = ", ".join(f"{snake(v)}=\"{s}\"" for v, s in pairs)
        body = f"\n\ndef make_client():\n    {cm.strip()}\n    return Client({args}, timeout=30)\n" if cm else \
            f"\n\ndef make_client():\n    return Client({args}, timeout=30)\n"
    elif style == 3:
        body = "".join(f"os.environ.setdefault(\"{v}\", \"{s}\")\n" for v, s in pairs)
        head = "import os\n" + head.replace("import os\n", "")
    elif style == 4:
        body = "\n\n@dataclass\nclass Settings:\n" + "".join(
            f"    {snake(v)}: str = \"{s}\"\n" for v, s in pairs) + "    debug: bool = False\n"
        head = "from dataclasses import dataclass\n" + head
    else:
        body = "\n\nclass Config(object):\n    DEBUG = False\n" + "".join(
            f"    {v} = os.getenv(\"{v}\", \"{s}\")\n" for v, s in pairs)
        head = "import os\n" + head.replace("import os\n", "")
    return ".py", head + "\n" + body + fill("py", R.randint(0, 2), tail=True)


def emb_js(pairs):
    style = R.randrange(5)
    head = fill("js")
    cm = comment("js")
    if style == 0:
        body = cm + "".join(f"const {camel(v)} = {quoted(s, '`')};\n" for v, s in pairs)
    elif style == 1:
        body = "module.exports = {\n  env: 'production',\n" + "".join(
            f"  {camel(v)}: \"{s}\",\n" for v, s in pairs) + "};\n"
    elif style == 2:
        body = "".join(f"process.env.{v} = process.env.{v} || '{s}';\n" for v, s in pairs)
    elif style == 3:
        body = "const client = new ApiClient({\n" + "".join(
            f"  {camel(v)}: '{s}',\n" for v, s in pairs) + "  retries: 3,\n});\n"
    else:
        body = "export default {\n  name: 'worker',\n  config: {\n" + "".join(
            f"    {snake(v)}: `{s}`,\n" for v, s in pairs) + "  },\n};\n"
    return ".js", head + "\n" + body + fill("js", R.randint(0, 2), tail=True)


def emb_ts(pairs):
    style = R.randrange(3)
    head = fill("ts")
    if style == 0:
        body = "".join(f"export const {v}: string = '{s}';\n" for v, s in pairs)
    elif style == 1:
        body = "const config = {\n  baseUrl: 'https://api.acme.io',\n" + "".join(
            f"  {camel(v)}: \"{s}\",\n" for v, s in pairs) + "} as const;\n\nexport default config;\n"
    else:
        body = "@Injectable({ providedIn: 'root' })\nexport class ApiService {\n" + "".join(
            f"  private readonly {camel(v)} = '{s}';\n" for v, s in pairs) + \
            "\n  constructor(private http: HttpClient) {}\n}\n"
    return ".ts", head + "\n" + comment("ts") + body


def emb_go(pairs):
    style = R.randrange(4)
    head = "package config\n" + fill("go")
    if style == 0:
        body = "const (\n" + "".join(f"\t{camel(v)} = \"{s}\"\n" for v, s in pairs) + ")\n"
    elif style == 1:
        body = "var defaultConfig = Config{\n\tBaseURL: \"https://api.acme.io\",\n" + "".join(
            f"\t{pascal(v)}: \"{s}\",\n" for v, s in pairs) + "}\n"
    elif style == 2:
        body = "func init() {\n" + "".join(f"\tos.Setenv(\"{v}\", \"{s}\")\n" for v, s in pairs) + "}\n"
    else:
        body = "".join(f"var {camel(v)} = `{s}`\n" for v, s in pairs)
    return ".go", head + "\n" + comment("go") + body


def emb_java(pairs):
    style = R.randrange(3)
    head = "package com.acme.billing;\n\n" + FILL["java"][0]
    if style == 0:
        inner = "".join(f"    private static final String {v} = \"{s}\";\n" for v, s in pairs)
    elif style == 1:
        inner = "    Properties props() {\n        Properties p = new Properties();\n" + "".join(
            f"        p.setProperty(\"{dotted(v)}\", \"{s}\");\n" for v, s in pairs) + "        return p;\n    }\n"
    else:
        inner = "    @Value(\"${app.timeout:30}\") int timeout;\n" + "".join(
            f"    private String {camel(v)} = \"{s}\";\n" for v, s in pairs)
    return ".java", head + "\npublic class AppConfig {\n" + fill("java", R.randint(0, 2), tail=True) + inner + "}\n"


def emb_rb(pairs):
    style = R.randrange(3)
    head = fill("rb")
    if style == 0:
        body = "".join(f"{v} = '{s}'.freeze\n" for v, s in pairs)
    elif style == 1:
        body = "Acme.configure do |config|\n" + "".join(
            f"  config.{snake(v)} = \"{s}\"\n" for v, s in pairs) + "end\n"
    else:
        body = "".join(f"ENV['{v}'] ||= '{s}'\n" for v, s in pairs)
    return ".rb", head + "\n" + comment("rb") + body


def emb_php(pairs):
    style = R.randrange(3)
    if style == 0:
        body = "".join(f"define('{v}', '{s}');\n" for v, s in pairs)
    elif style == 1:
        body = "return [\n    'debug' => false,\n" + "".join(
            f"    '{snake(v)}' => '{s}',\n" for v, s in pairs) + "];\n"
    else:
        body = "".join(f"${camel(v)} = \"{s}\";\n" for v, s in pairs)
    return ".php", "<?php\n" + fill("php") + "\n" + comment("php") + body


def emb_cs(pairs):
    style = R.randrange(3)
    if style == 0:
        inner = "".join(f"        private const string {pascal(v)} = \"{s}\";\n" for v, s in pairs)
    elif style == 1:
        inner = "        public void Configure(IConfiguration cfg)\n        {\n" + "".join(
            f"            cfg[\"Acme:{pascal(v)}\"] = \"{s}\";\n" for v, s in pairs) + "        }\n"
    else:
        inner = "".join(f"        public string {pascal(v)} {{ get; set; }} = \"{s}\";\n" for v, s in pairs)
    return ".cs", FILL["cs"][0] + "\nnamespace Acme.Services\n{\n    public class Settings\n    {\n" + inner + "    }\n}\n"


def emb_rs(pairs):
    style = R.randrange(3)
    if style == 0:
        body = "".join(f"const {v}: &str = \"{s}\";\n" for v, s in pairs)
    elif style == 1:
        body = "fn config() -> Config {\n    Config {\n" + "".join(
            f"        {snake(v)}: String::from(\"{s}\"),\n" for v, s in pairs) + "        ..Default::default()\n    }\n}\n"
    else:
        body = "fn client() -> Client {\n    let mut h = HeaderMap::new();\n" + "".join(
            f"    h.insert(\"x-{kebab(v)}\", HeaderValue::from_static(\"{s}\"));\n" for v, s in pairs) + \
            "    Client::builder().default_headers(h).build().unwrap()\n}\n"
    return ".rs", fill("rs") + "\n" + comment("rs") + body


def emb_sh(pairs):
    style = R.randrange(3)
    if style == 0:
        body = "".join(f"export {v}=\"{s}\"\n" for v, s in pairs)
    elif style == 1:
        body = "".join(f"export {v}='{s}'\n" for v, s in pairs)
    else:
        body = " ".join(f"{v}={s}" for v, s in pairs) + " ./bin/worker --once\n"
    return ".sh", "#!/usr/bin/env bash\n" + fill("sh") + "\n" + comment("sh") + body + \
        pick(["", "\n./deploy.sh \"$@\"\n", "\nlog done\n"])


def env_lines(pairs):
    out = []
    for v, s in pairs:
        style = R.randrange(4)
        if style == 0:
            out.append(f"{v}={s}")
        elif style == 1:
            out.append(f"{v}=\"{s}\"")
        elif style == 2:
            out.append(f"export {v}={s}")
        else:
            out.append(f"{v}='{s}'")
    return out


ENV_FILLER = ["NODE_ENV=production", "PORT=8080", "LOG_LEVEL=info", "DATABASE_POOL=10",
              "APP_NAME=acme-api", "TZ=UTC", "FEATURE_NEW_CHECKOUT=true", "SENTRY_ENVIRONMENT=prod",
              "REDIS_HOST=localhost", "CACHE_TTL=300"]


def emb_env(pairs):
    lines = R.sample(ENV_FILLER, R.randint(1, 5)) + env_lines(pairs)
    R.shuffle(lines)
    if chance(0.4):
        lines.insert(0, "# " + pick(NOTE_COMMENTS))
    name = pick([".env", ".env", ".env.production", ".env.local", "x.env", "prod.env"])
    return name, "\n".join(lines) + "\n"


def emb_yml(pairs):
    style = R.randrange(4)
    ind = pick(["  ", "    "])
    def qv(s):
        return pick([s, f"\"{s}\"", f"'{s}'"])
    if style == 0:
        body = f"app:\n{ind}name: billing\n{ind}credentials:\n" + "".join(
            f"{ind*2}{snake(v)}: {qv(s)}\n" for v, s in pairs)
    elif style == 1:
        body = ("name: deploy\non:\n  push:\n    branches: [main]\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n"
                "    env:\n" + "".join(f"      {v}: {qv(s)}\n" for v, s in pairs) +
                "    steps:\n      - uses: actions/checkout@v4\n      - run: make deploy\n")
    elif style == 2:
        body = "# Helm values\nreplicaCount: 2\nimage:\n  repository: acme/api\n  tag: \"1.4.2\"\nsecrets:\n" + "".join(
            f"  {camel(v)}: {qv(s)}\n" for v, s in pairs)
    else:
        body = "spring:\n  application:\n    name: orders\n" + "".join(
            f"{snake(v).replace('_', '-')}: {qv(s)}\n" for v, s in pairs)
    return pick([".yml", ".yaml"]), body


def emb_json(pairs):
    d = {"name": "acme-service", "version": "2.3.1", "environment": "production"}
    style = R.randrange(3)
    if style == 0:
        d["credentials"] = {camel(v): s for v, s in pairs}
    elif style == 1:
        d.update({v: s for v, s in pairs})
    else:
        d["services"] = [{"id": "upstream", "url": "https://api.partner.io", **{snake(v): s for v, s in pairs}}]
    indent = pick([2, 4, None])
    return pick([".json", ".json", "appsettings.json", "config.json"]), json.dumps(d, indent=indent) + "\n"


def emb_toml(pairs):
    body = "[server]\nhost = \"0.0.0.0\"\nport = 8080\n\n[" + pick(["auth", "upstream", "provider", "deploy"]) + "]\n" + "".join(
        f"{snake(v)} = {quoted(s)}\n" for v, s in pairs)
    return ".toml", body


def emb_ini(pairs):
    sep = pick([" = ", "=", ": "])
    body = "[DEFAULT]\nlog_level = INFO\n\n[" + pick(["credentials", "api", "service", "default"]) + "]\n" + "".join(
        f"{snake(v)}{sep}{s}\n" for v, s in pairs)
    return pick([".ini", ".cfg", ".conf"]), body


def emb_properties(pairs):
    sep = pick(["=", " = ", ": "])
    body = "# application properties\nserver.port=8080\nspring.jpa.hibernate.ddl-auto=validate\n" + "".join(
        f"{dotted(v)}{sep}{s}\n" for v, s in pairs)
    return ".properties", body


def emb_xml(pairs):
    style = R.randrange(3)
    if style == 0:
        body = ("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<configuration>\n  <appSettings>\n"
                "    <add key=\"Environment\" value=\"Production\" />\n" + "".join(
                    f"    <add key=\"{pascal(v)}\" value=\"{s}\" />\n" for v, s in pairs) +
                "  </appSettings>\n</configuration>\n")
    elif style == 1:
        body = "<settings>\n  <servers>\n    <server>\n      <id>acme-releases</id>\n" + "".join(
            f"      <{camel(v)}>{s}</{camel(v)}>\n" for v, s in pairs) + "    </server>\n  </servers>\n</settings>\n"
    else:
        body = "<beans>\n  <bean id=\"client\" class=\"com.acme.Client\">\n" + "".join(
            f"    <property name=\"{camel(v)}\" value=\"{s}\"/>\n" for v, s in pairs) + "  </bean>\n</beans>\n"
    return ".xml", body


def emb_tf(pairs):
    style = R.randrange(3)
    if style == 0:
        body = "provider \"acme\" {\n  region = \"us-east-1\"\n" + "".join(
            f"  {snake(v)} = \"{s}\"\n" for v, s in pairs) + "}\n"
    elif style == 1:
        body = "".join(f"variable \"{snake(v)}\" {{\n  type    = string\n  default = \"{s}\"\n}}\n\n" for v, s in pairs)
    else:
        body = "locals {\n" + "".join(f"  {snake(v)} = \"{s}\"\n" for v, s in pairs) + "}\n"
    return ".tf", "terraform {\n  required_version = \">= 1.5\"\n}\n\n" + body


def emb_md(pairs):
    lang = pick(["bash", "sh", "python", "yaml", "", "env"])
    if lang in ("bash", "sh"):
        code = "".join(f"export {v}={s}\n" for v, s in pairs) + "npm run start\n"
    elif lang == "python":
        code = "import acme\n\n" + "".join(f"acme.{snake(v)} = \"{s}\"\n" for v, s in pairs)
    elif lang == "yaml":
        code = "".join(f"{snake(v)}: {s}\n" for v, s in pairs)
    else:
        code = "".join(f"{v}={s}\n" for v, s in pairs)
    intro = pick(["## Quick start\n\nSet the following before running the service locally:\n\n",
                  "# Deploy notes\n\nThe staging box uses these values (ask Priya before rotating):\n\n",
                  "### Configuration\n\nCopy this into your shell:\n\n"])
    tail = pick(["\nThen open http://localhost:3000.\n", "\n", "\n> Note: rotate quarterly.\n"])
    if chance(0.2):
        v, s = pairs[0]
        return ".md", intro + f"Use `{s}` as the {v.lower().replace('_', ' ')}.\n" + tail
    return ".md", "# acme-service\n\n" + intro + f"```{lang}\n{code}```\n" + tail


def emb_txt(pairs):
    style = R.randrange(2)
    if style == 0:
        body = "prod access - " + pick(["updated 2024-03-02", "ops handover", "DO NOT SHARE"]) + "\n\n" + "".join(
            f"{v.lower().replace('_', ' ')}: {s}\n" for v, s in pairs)
    else:
        body = "Hi team,\n\nhere are the credentials for the new integration:\n\n" + "".join(
            f"  {v} = {s}\n" for v, s in pairs) + "\nthanks,\nM.\n"
    return ".txt", body


def emb_dockerfile(pairs):
    base = pick(["python:3.12-slim", "node:20-alpine", "golang:1.22", "eclipse-temurin:21-jre"])
    kw = pick(["ENV", "ARG"])
    body = f"FROM {base}\nWORKDIR /app\n" + "".join(f"{kw} {v}={s}\n" for v, s in pairs) + \
        "COPY . .\nRUN make build\nCMD [\"./run\"]\n"
    return "Dockerfile", body


def emb_compose(pairs):
    style = R.randrange(2)
    if style == 0:
        env = "    environment:\n" + "".join(f"      - {v}={s}\n" for v, s in pairs)
    else:
        env = "    environment:\n" + "".join(f"      {v}: \"{s}\"\n" for v, s in pairs)
    body = ("version: \"3.9\"\nservices:\n  api:\n    image: acme/api:latest\n    ports:\n      - \"8080:8080\"\n" + env +
            "  redis:\n    image: redis:7\n")
    return "docker-compose.yml", body


def emb_jenkins(pairs):
    body = ("pipeline {\n    agent any\n    environment {\n" + "".join(
        f"        {v} = '{s}'\n" for v, s in pairs) +
        "    }\n    stages {\n        stage('Deploy') {\n            steps {\n                sh './deploy.sh'\n            }\n        }\n    }\n}\n")
    return "Jenkinsfile", body


def emb_k8s(pairs):
    body = ("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n"
            "        - name: api\n          image: acme/api:1.2.3\n          env:\n" + "".join(
                f"            - name: {v}\n              value: \"{s}\"\n" for v, s in pairs))
    return pick(["deployment.yaml", ".yaml", "k8s.yml"]), body



def mini_ident():
    return pick(LETTERS) + rs(ALNUM, R.randint(0, 2))


def emb_ipynb(pairs):
    src = ["import os\n"] + [f"os.environ[\"{v}\"] = \"{s}\"\n" for v, s in pairs] + ["\n", "client = make_client()"]
    if chance(0.4):
        src = ["from acme import Client\n", "\n"] + [f"{snake(v)} = '{s}'\n" for v, s in pairs] + [f"client = Client({snake(pairs[0][0])})"]
    nb = {"cells": [
        {"cell_type": "markdown", "metadata": {}, "source": ["# Exploration\n", "Pull last week's data."]},
        {"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": [], "source": src},
        {"cell_type": "code", "execution_count": 2, "metadata": {}, "outputs": [
            {"name": "stdout", "output_type": "stream", "text": ["rows: 10432\n"]}], "source": ["df = client.fetch()\n", "print('rows:', len(df))"]}],
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
        "nbformat": 4, "nbformat_minor": 5}
    return "x.ipynb", json.dumps(nb, indent=1) + "\n"


def emb_html(pairs):
    cfg = ",\n".join(f"      {camel(v)}: \"{s}\"" for v, s in pairs)
    return ".html", ("<!DOCTYPE html>\n<html>\n<head>\n  <title>Dashboard</title>\n  <script>\n    window.APP_CONFIG = {\n"
                     + cfg + "\n    };\n  </script>\n</head>\n<body>\n  <div id=\"app\"></div>\n  <script src=\"/static/app.js\"></script>\n</body>\n</html>\n")


def emb_bundle(pairs):
    """A production bundle: one long minified line with the secret inside."""
    junk = lambda: "".join(f"function {mini_ident()}({mini_ident()}){{return {mini_ident()}.{rs(LOWER, 5)}({R.randint(0, 99)})}}" for _ in range(R.randint(20, 60)))
    cfg = ",".join(f"{camel(v)}:\"{s}\"" for v, s in pairs)
    return pick(["x.js", "main.min.js", "bundle.js"]), "!function(){\"use strict\";" + junk() + f"var c={{{cfg},env:\"production\"}};" + junk() + "}();\n"


def emb_commented(pairs):
    """A commented-out line still holding the value, next to the env lookup."""
    lang = pick(["py", "sh", "yml", "js", "go"])
    if lang == "py":
        return ".py", "import os\n\n" + "".join(f"# {v} = \"{s}\"\n{v} = os.environ[\"{v}\"]\n" for v, s in pairs)
    if lang == "sh":
        return ".sh", "#!/bin/sh\n" + "".join(f"#export {v}={s}\n: \"${{{v}:?set {v}}}\"\n" for v, s in pairs)
    if lang == "yml":
        return ".yml", "env:\n" + "".join(f"  # {v}: {s}\n  {v}: ${{{{ secrets.{v} }}}}\n" for v, s in pairs)
    if lang == "js":
        return ".js", "".join(f"// const {camel(v)} = '{s}';\nconst {camel(v)} = process.env.{v};\n" for v, s in pairs)
    return ".go", "package main\n\nimport \"os\"\n\n" + "".join(f"// {camel(v)} := \"{s}\"\nvar {camel(v)} = os.Getenv(\"{v}\")\n" for v, s in pairs)


EMBEDDERS = {
    "py": emb_py, "js": emb_js, "ts": emb_ts, "go": emb_go, "java": emb_java, "rb": emb_rb,
    "php": emb_php, "cs": emb_cs, "rs": emb_rs, "sh": emb_sh, "env": emb_env, "yml": emb_yml,
    "json": emb_json, "toml": emb_toml, "ini": emb_ini, "properties": emb_properties, "xml": emb_xml,
    "tf": emb_tf, "md": emb_md, "txt": emb_txt, "dockerfile": emb_dockerfile, "compose": emb_compose,
    "jenkins": emb_jenkins, "k8s": emb_k8s, "ipynb": emb_ipynb, "html": emb_html, "bundle": emb_bundle,
    "commented": emb_commented,
}
ALL_TYPES = list(EMBEDDERS)


# --------------------------------------------------------------------------
# secret kinds.  Each returns (pairs, allowed_types or None, variant label).
# The first pair's VAR name is chosen from realistic names; for self-identifying
# formats neutral names are mixed in so detection must rely on the format.
# --------------------------------------------------------------------------

def k_github():
    p = pick(["ghp_", "ghp_", "gho_", "ghu_", "ghs_"])
    return [(pick(["GITHUB_TOKEN", "GH_TOKEN", "TOKEN", "GITHUB_PAT", "AUTH", "DEFAULT_CREDENTIAL", "API_TOKEN"]),
             crc_token(p))], None, p


def k_github_fine():
    tok = "github_pat_" + rs(ALNUM, 22) + "_" + rs(ALNUM + "_", 59)
    return [(pick(["GITHUB_TOKEN", "GH_PAT", "RELEASE_TOKEN", "TOKEN"]), tok)], None, "github_pat_"


def k_gitlab():
    tok = "glpat-" + rs(B64URL, 20)
    return [(pick(["GITLAB_TOKEN", "CI_JOB_TOKEN_OVERRIDE", "GL_TOKEN", "PRIVATE_TOKEN"]), tok)], None, "glpat-"


def k_npm():
    tok = crc_token("npm_") if chance(0.5) else "npm_" + rs(ALNUM, 36)
    return [(pick(["NPM_TOKEN", "NODE_AUTH_TOKEN", "NPM_PUBLISH_TOKEN", "TOKEN"]), tok)], None, "npm_"


def k_aws():
    pre = pick(["AKIA", "AKIA", "AKIA", "ASIA"]) if False else "AKIA"
    kid = pre + rs(B32, 16)
    sec = rs(ALNUM + "+/", 40)
    names = pick([("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"), ("S3_ACCESS_KEY", "S3_SECRET_KEY"),
                  ("AWS_KEY", "AWS_SECRET"), ("ACCESS_KEY_ID", "SECRET_ACCESS_KEY")])
    pairs = [(names[0], kid), (names[1], sec)]
    if chance(0.15):  # only the secret key, with strong context
        pairs = [("AWS_SECRET_ACCESS_KEY", sec)]
        return pairs, None, "secret-only"
    if chance(0.15):  # only the key id
        return [(names[0], kid)], None, "key-id-only"
    return pairs, None, "AKIA+secret"


def k_google():
    tok = "AIza" + rs(B64URL, 35)
    return [(pick(["GOOGLE_API_KEY", "MAPS_API_KEY", "FIREBASE_API_KEY", "YOUTUBE_KEY", "KEY", "GEMINI_API_KEY"]), tok)], None, "AIza"


def k_stripe():
    p = pick(["sk_live_", "sk_live_", "rk_live_"])
    tok = p + rs(ALNUM, R.choice([24, 34, 99, 99, 99]))
    return [(pick(["STRIPE_SECRET_KEY", "STRIPE_API_KEY", "STRIPE_KEY", "PAYMENTS_KEY", "SECRET"]), tok)], None, p


def k_slack():
    if chance(0.5):
        tok = f"xoxb-{R.randrange(10**10, 10**13)}-{R.randrange(10**10, 10**13)}-{rs(ALNUM, 24)}"
        v = "xoxb"
    else:
        tok = f"xoxp-{R.randrange(10**10, 10**13)}-{R.randrange(10**10, 10**13)}-{R.randrange(10**10, 10**13)}-{rs(HEX, 32)}"
        v = "xoxp"
    return [(pick(["SLACK_BOT_TOKEN", "SLACK_TOKEN", "SLACK_USER_TOKEN", "BOT_TOKEN"]), tok)], None, v


def k_slack_webhook():
    url = f"https://hooks.slack.com/services/T{rs(UPPER + string.digits, R.choice([8, 10]))}/B{rs(UPPER + string.digits, R.choice([8, 10]))}/{rs(ALNUM, 24)}"
    return [(pick(["SLACK_WEBHOOK_URL", "WEBHOOK", "ALERTS_WEBHOOK", "NOTIFY_URL"]), url)], None, "webhook"


def k_twilio():
    if chance(0.5):
        sid = "SK" + rs(HEX, 32)
        return [(pick(["TWILIO_API_KEY", "TWILIO_API_KEY_SID", "TWILIO_KEY"]), sid),
                ("TWILIO_API_SECRET", rs(ALNUM, 32))], None, "SK+secret"
    sid = "AC" + rs(HEX, 32)
    return [("TWILIO_ACCOUNT_SID", sid), (pick(["TWILIO_AUTH_TOKEN", "TWILIO_TOKEN", "AUTH_TOKEN"]), rs(HEX, 32))], None, "AC+auth-token"


def k_sendgrid():
    tok = "SG." + rs(B64URL, 22) + "." + rs(B64URL, 43)
    return [(pick(["SENDGRID_API_KEY", "SMTP_PASSWORD", "MAIL_KEY", "EMAIL_API_KEY"]), tok)], None, "SG."


def k_mailchimp():
    tok = rs(HEX, 32) + "-us" + str(R.randrange(1, 21))
    return [(pick(["MAILCHIMP_API_KEY", "MC_API_KEY", "MAILCHIMP_KEY", "NEWSLETTER_API_KEY"]), tok)], None, "mc"


def k_openai():
    if chance(0.6):
        tok = "sk-proj-" + rs(B64URL, 74) + "T3BlbkFJ" + rs(B64URL, 74)
        v = "sk-proj"
    elif chance(0.5):
        tok = "sk-" + rs(ALNUM, 20) + "T3BlbkFJ" + rs(ALNUM, 20)
        v = "legacy"
    else:
        tok = "sk-svcacct-" + rs(B64URL, 74) + "T3BlbkFJ" + rs(B64URL, 74)
        v = "sk-svcacct"
    return [(pick(["OPENAI_API_KEY", "OPENAI_KEY", "LLM_API_KEY", "API_KEY", "KEY"]), tok)], None, v


def k_anthropic():
    tok = "sk-ant-api03-" + rs(B64URL, 93) + "AA"
    return [(pick(["ANTHROPIC_API_KEY", "CLAUDE_API_KEY", "LLM_KEY", "API_KEY"]), tok)], None, "sk-ant-api03"


# ---- special containers --------------------------------------------------

def esc_nl(text):
    return text.replace("\n", "\\n")


def pem_containers(pem, what="PRIVATE_KEY"):
    """Ways a multi-line PEM (or similar block) ends up in a repository."""
    var = what
    one = esc_nl(pem)
    lines = pem.rstrip("\n").split("\n")
    return [
        lambda: (pick(["id_rsa", "x.pem", "x.key", "server.key", "private.pem", "deploy_key"]), pem, "raw"),
        lambda: (".py", f"import jwt\n\n{var} = \"\"\"{pem}\"\"\"\n\n\ndef sign(claims):\n    return jwt.encode(claims, {var}, algorithm=\"RS256\")\n", "py-triple"),
        lambda: (".json", json.dumps({"name": "signer", "algorithm": "RS256", "privateKey": pem}, indent=2) + "\n", "json-escaped"),
        lambda: ("x.env", f"APP_NAME=signer\n{var}=\"{one}\"\nLOG_LEVEL=debug\n", "env-escaped"),
        lambda: (".yml", "tls:\n  enabled: true\n  key: |\n" + "".join("    " + ln + "\n" for ln in lines) + "  cert_file: /etc/tls/tls.crt\n", "yaml-block"),
        lambda: (".tf", f"resource \"tls_locally_signed_cert\" \"x\" {{\n  ca_private_key_pem = <<EOT\n{pem}EOT\n}}\n", "tf-heredoc"),
        lambda: (".go", f"package keys\n\nvar signingKey = []byte(`{pem}`)\n", "go-raw"),
        lambda: (".md", f"# Bastion access\n\nSave this as `~/.ssh/bastion` and `chmod 600` it:\n\n```\n{pem}```\n", "md-fence"),
        lambda: (".java", "public class Keys {\n    static final String KEY =\n" + "".join(
            f"        \"{ln}\\n\" +\n" for ln in lines) + "        \"\";\n}\n", "java-concat"),
        lambda: (".rb", f"KEY = <<~PEM\n" + "".join("  " + ln + "\n" for ln in lines) + "PEM\n", "ruby-heredoc"),
        lambda: (".sh", f"#!/bin/sh\nmkdir -p ~/.ssh\ncat > ~/.ssh/id_deploy <<'EOF'\n{pem}EOF\nchmod 600 ~/.ssh/id_deploy\n", "sh-heredoc"),
        lambda: (".txt", "key for the staging box (ops ticket 4412):\n\n" + pem, "txt"),
        lambda: (".js", f"const key = `{pem}`;\nmodule.exports = {{ key }};\n", "js-template"),
        lambda: ("secret.yaml", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: tls\ntype: kubernetes.io/tls\nstringData:\n  tls.key: |\n"
                 + "".join("    " + ln + "\n" for ln in lines), "k8s-stringData"),
    ]


def pem_kind(builder_fn, variant):
    def fn(i):
        pem = builder_fn()
        cont = pem_containers(pem)
        # spread the variants over containers, keeping "raw" for the first
        c = cont[0] if i == 0 else cont[1 + (i * 5 + R.randrange(3)) % (len(cont) - 1)]
        return [], c, variant
    return fn


def pem_block(label, nbytes, prefix, width=64):
    body = b64(prefix + rbytes(nbytes - len(prefix)))
    lines = [body[i:i + width] for i in range(0, len(body), width)]
    return f"-----BEGIN {label}-----\n" + "\n".join(lines) + f"\n-----END {label}-----\n"


def rsa_pem():
    return pem_block("RSA PRIVATE KEY", R.choice([1192, 1193, 1190, 2349]), b"\x30\x82\x04\xa4\x02\x01\x00\x02\x82\x01\x01\x00")


def ec_pem():
    return pem_block("EC PRIVATE KEY", 121, b"\x30\x77\x02\x01\x01\x04\x20")


def openssh_pem():
    return pem_block("OPENSSH PRIVATE KEY", R.choice([399, 1679, 2590]),
                     b"openssh-key-v1\x00\x00\x00\x00\x04none\x00\x00\x00\x04none\x00\x00\x00\x00\x00\x00\x00\x01", width=70)


def pkcs8_pem():
    return pem_block("PRIVATE KEY", 1217, b"\x30\x82\x04\xbd\x02\x01\x00\x30\x0d\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x01\x01\x05\x00\x04\x82\x04\xa7")


def dsa_pem():
    return pem_block("DSA PRIVATE KEY", 443, b"\x30\x82\x01\xbb\x02\x01\x00\x02\x81\x81\x00")


def pgp_pem():
    body = b64(b"\x95\x03\xc6\x04" + rbytes(R.choice([950, 1800])))
    lines = [body[i:i + 64] for i in range(0, len(body), 64)]
    hdr = pick(["", "Comment: https://gnupg.org\n", "Version: GnuPG v2\n"])
    return ("-----BEGIN PGP PRIVATE KEY BLOCK-----\n" + hdr + "\n" + "\n".join(lines) +
            "\n=" + b64(rbytes(3)) + "\n-----END PGP PRIVATE KEY BLOCK-----\n")


def age_key():
    return "AGE-SECRET-KEY-1" + rs(BECH32.upper(), 58)


def age_pub():
    return "age1" + rs(BECH32, 58)


def k_age(i):
    key = age_key()
    opts = [
        lambda: ("keys.txt", f"# created: 2024-0{R.randint(1, 9)}-1{R.randint(0, 9)}T10:21:44+02:00\n# public key: {age_pub()}\n{key}\n", "keys.txt"),
        lambda: (".yml", f"creation_rules:\n  - path_regex: secrets/.*\\.yaml$\n    age: {age_pub()}\n# private: {key}\n", "sops-yaml"),
        lambda: ("x.env", f"SOPS_AGE_KEY={key}\n", "env"),
        lambda: (".sh", f"#!/usr/bin/env bash\nexport SOPS_AGE_KEY='{key}'\nsops -d secrets.enc.yaml > secrets.yaml\n", "sh"),
        lambda: (".yml", f"jobs:\n  decrypt:\n    runs-on: ubuntu-latest\n    env:\n      SOPS_AGE_KEY: {key}\n    steps:\n      - run: sops -d x.yaml\n", "gha"),
        lambda: (".md", f"## Decrypting\n\n```\necho '{key}' > ~/.config/sops/age/keys.txt\n```\n", "md"),
        lambda: (".py", f"import pyrage\n\nIDENTITY = pyrage.x25519.Identity.from_str(\"{key}\")\n", "py"),
        lambda: (".json", json.dumps({"recipient": age_pub(), "identity": key}, indent=2) + "\n", "json"),
    ]
    return [], opts[i % len(opts)], "age"


def k_putty(i):
    algo = pick(["ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256"])
    nb = {"ssh-ed25519": 32, "ssh-rsa": 1200, "ecdsa-sha2-nistp256": 40}[algo]
    priv = b64(rbytes(nb + 4))
    plines = [priv[j:j + 64] for j in range(0, len(priv), 64)]
    pub = b64(rbytes(51 if algo == "ssh-ed25519" else 280))
    publ = [pub[j:j + 64] for j in range(0, len(pub), 64)]
    txt = (f"PuTTY-User-Key-File-3: {algo}\nEncryption: none\nComment: {pick(['eddsa-key-20240312', 'rsa-key-20231102', 'deploy@jump'])}\n"
           f"Public-Lines: {len(publ)}\n" + "\n".join(publ) + f"\nPrivate-Lines: {len(plines)}\n" + "\n".join(plines) +
           f"\nPrivate-MAC: {rs(HEX, 64)}\n")
    if i % 4 == 3:
        txt = txt.replace("PuTTY-User-Key-File-3", "PuTTY-User-Key-File-2").replace("Private-MAC", "Private-MAC")
    cont = [lambda: ("x.ppk", txt, "ppk"), lambda: ("x.ppk", txt, "ppk"),
            lambda: ("x.txt", "winscp key for sftp.partner.com:\n\n" + txt, "txt"),
            lambda: (".md", "Import into PuTTYgen:\n\n```\n" + txt + "```\n", "md")]
    return [], cont[i % len(cont)], algo


def gcp_sa_json():
    proj = pick(["acme-prod", "billing-svc", "data-platform", "ml-pipelines"]) + f"-{R.randint(100000, 999999)}"
    sa = pick(["deployer", "terraform", "bq-reader", "github-actions", "app-engine"])
    return {
        "type": "service_account",
        "project_id": proj,
        "private_key_id": rs(HEX, 40),
        "private_key": pkcs8_pem(),
        "client_email": f"{sa}@{proj}.iam.gserviceaccount.com",
        "client_id": str(R.randint(10**20, 10**21 - 1)),
        "auth_uri": "https://accounts.google.com/o/oauth2/auth",
        "token_uri": "https://oauth2.googleapis.com/token",
        "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
        "client_x509_cert_url": f"https://www.googleapis.com/robot/v1/metadata/x509/{sa}%40{proj}.iam.gserviceaccount.com",
        "universe_domain": "googleapis.com",
    }


def k_gcp(i):
    d = gcp_sa_json()
    pretty = json.dumps(d, indent=2) + "\n"
    compact = json.dumps(d)
    opts = [
        lambda: (pick(["service-account.json", "credentials.json", "x.json", "gcp-key.json"]), pretty, "json-file"),
        lambda: (".py", f"from google.oauth2 import service_account\n\nINFO = {json.dumps(d, indent=4)}\n\ncreds = service_account.Credentials.from_service_account_info(INFO)\n", "py-dict"),
        lambda: ("x.env", f"GOOGLE_APPLICATION_CREDENTIALS_JSON='{compact}'\n", "env-oneline"),
        lambda: ("secret.yaml", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: gcp-sa\ntype: Opaque\nstringData:\n  key.json: |\n"
                 + "".join("    " + ln + "\n" for ln in pretty.splitlines()), "k8s-stringData"),
        lambda: (".tf", f"provider \"google\" {{\n  project     = \"{d['project_id']}\"\n  credentials = <<EOF\n{pretty}EOF\n}}\n", "tf-heredoc"),
        lambda: (".js", f"const {{ Storage }} = require('@google-cloud/storage');\n\nconst storage = new Storage({{\n  credentials: {json.dumps(d, indent=2)},\n}});\n", "js"),
        lambda: (".yml", f"steps:\n  - uses: google-github-actions/auth@v2\n    with:\n      credentials_json: '{compact}'\n", "gha"),
        lambda: (".md", f"Use this key for local dev:\n\n```json\n{pretty}```\n", "md"),
    ]
    return [], opts[i % len(opts)], "gcp-sa"


def url_pw():
    from urllib.parse import quote
    return quote(human_password(), safe="")


def k_url_creds(i):
    u, pw, h = rand_user(), url_pw(), rand_host()
    style = i % 8
    if style == 0:
        url, v = f"postgres://{u}:{pw}@{h}:5432/{pick(['app', 'orders', 'prod'])}", "DATABASE_URL"
    elif style == 1:
        url, v = f"postgresql://{u}:{pw}@{h}/analytics?sslmode=require", pick(["SQLALCHEMY_DATABASE_URI", "DB_DSN", "dsn"])
    elif style == 2:
        url, v = f"mongodb+srv://{u}:{pw}@cluster0.{rs(LOWER + string.digits, 5)}.mongodb.net/{pick(['test', 'app'])}?retryWrites=true&w=majority", "MONGO_URI"
    elif style == 3:
        url, v = f"redis://:{pw}@{h}:6379/0", pick(["REDIS_URL", "CACHE_URL"])
    elif style == 4:
        url, v = f"https://{u}:{pw}@{pick(['nexus.acme.io/repository/pypi/simple', 'git.acme.internal/org/repo.git', 'artifacts.acme.com/npm/'])}", pick(["PIP_INDEX_URL", "REPO_URL", "MIRROR"])
    elif style == 5:
        url, v = f"amqp://{u}:{pw}@rabbitmq:5672/%2F", "CELERY_BROKER_URL"
    elif style == 6:
        url, v = f"mysql://{u}:{pw}@{h}:3306/shop", "DATABASE_URL"
    else:
        url, v = f"rediss://default:{pw}@{rs(LOWER, 8)}.upstash.io:6379", "UPSTASH_REDIS_URL"
    return [(v, url)], None, url.split(":")[0]


DJANGO_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)"


PASSWORD_VARS = ["DB_PASSWORD", "PASSWORD", "ADMIN_PASSWORD", "MYSQL_ROOT_PASSWORD", "POSTGRES_PASSWORD", "SMTP_PASSWORD",
                 "REDIS_PASSWORD", "LDAP_BIND_PASSWORD", "KEYSTORE_PASSWORD", "DB_PASS", "PASSWD", "SA_PASSWORD", "ADMIN_PWD",
                 "MAIL_PASSWORD", "RABBITMQ_DEFAULT_PASS"]


def k_generic_password(i):
    pw = human_password()
    u = rand_user()
    xml_pw = pw.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
    special = [
        lambda: ("tomcat-users.xml", f"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tomcat-users>\n  <role rolename=\"manager-gui\"/>\n"
                 f"  <user username=\"{u}\" password=\"{xml_pw}\" roles=\"manager-gui,admin-gui\"/>\n</tomcat-users>\n", "tomcat-users"),
        lambda: ("appsettings.json", json.dumps({"ConnectionStrings": {"DefaultConnection":
                 f"Server=tcp:{rand_host()},1433;Initial Catalog=Orders;User ID={u};Password={pw};Encrypt=True;"}}, indent=2) + "\n", "mssql-connstr"),
        lambda: (".properties", f"spring.datasource.url=jdbc:mysql://{rand_host()}:3306/shop?user={u}&password={url_pw()}\nspring.jpa.show-sql=false\n", "jdbc-param"),
        lambda: (".sh", f"#!/bin/bash\nset -e\nmysqldump -h {rand_host()} -u {u} -p'{pw}' shop > /backups/shop.sql\n", "mysql-cli"),
        lambda: (".sh", f"#!/bin/bash\nPGPASSWORD='{pw}' psql -h {rand_host()} -U {u} -d app -c 'select 1'\n", "pgpassword"),
        lambda: ("inventory.ini", f"[web]\n10.0.3.11\n10.0.3.12\n\n[web:vars]\nansible_user={u}\nansible_password={pw}\nansible_become_password={pw}\n", "ansible"),
        lambda: (".xml", f"<settings>\n  <servers>\n    <server>\n      <id>nexus</id>\n      <username>{u}</username>\n      <password>{xml_pw}</password>\n    </server>\n  </servers>\n</settings>\n", "maven-settings"),
        lambda: (".php", f"<?php\ndefine( 'DB_NAME', 'wordpress' );\ndefine( 'DB_USER', '{u}' );\ndefine( 'DB_PASSWORD', '{pw}' );\ndefine( 'DB_HOST', 'localhost' );\n", "wp-config"),
        lambda: (".yml", f"spring:\n  datasource:\n    url: jdbc:postgresql://{rand_host()}:5432/app\n    username: {u}\n    password: {pw}\n", "spring-yaml"),
        lambda: (".py", f"import pymysql\n\nconn = pymysql.connect(host=\"{rand_host()}\", user=\"{u}\", password=\"{pw}\", database=\"shop\")\n", "py-kwarg"),
        lambda: (".cs", f"var cs = \"Host={rand_host()};Username={u};Password={pw};Database=app\";\nusing var conn = new NpgsqlConnection(cs);\n", "npgsql"),
    ]
    if i % 2 == 1:
        return [], special[(i // 2) % len(special)], "password"
    return [(pick(PASSWORD_VARS), pw)], None, "password"


SECRET_VARS = ["SECRET_KEY", "JWT_SECRET", "SESSION_SECRET", "API_KEY", "API_TOKEN", "ACCESS_TOKEN", "CLIENT_SECRET",
               "ENCRYPTION_KEY", "APP_SECRET", "AUTH_SECRET", "WEBHOOK_SECRET", "SIGNING_SECRET", "PRIVATE_TOKEN",
               "SERVICE_API_KEY", "X_API_KEY", "NEXTAUTH_SECRET", "SECRET_KEY_BASE", "MASTER_KEY", "HMAC_KEY", "APIKEY"]


def k_generic_secret(i):
    style = R.randrange(5)
    val = [lambda: rs(HEX, pick([32, 40, 64, 128])), lambda: b64(rbytes(pick([24, 32, 48]))),
           lambda: rs(ALNUM, R.randint(24, 48)), lambda: rs(DJANGO_CHARS, 50),
           lambda: rs(B64URL, R.randint(32, 43))][style]()
    vname = ["hex", "b64", "alnum", "django", "b64url"][style]
    special = [
        lambda: (".py", f"import requests\n\nresp = requests.get(\"https://api.weatherco.io/v3/forecast?lat=52.5&lon=13.4&apikey={rs(ALNUM, 32)}\")\n", "url-query"),
        lambda: (".sh", f"curl -s -H 'X-API-Key: {rs(ALNUM, 40)}' https://api.partner.io/v1/reports\n", "x-api-key-header"),
        lambda: (".js", f"const res = await fetch(url, {{ headers: {{ 'x-api-key': '{rs(B64URL, 40)}' }} }});\n", "x-api-key-js"),
        lambda: ("settings.py", f"import os\nfrom pathlib import Path\n\nBASE_DIR = Path(__file__).resolve().parent.parent\n\n# SECURITY WARNING: keep the secret key used in production secret!\nSECRET_KEY = '{rs(DJANGO_CHARS, 50)}'\n\nDEBUG = False\nALLOWED_HOSTS = ['acme.io']\n", "django-settings"),
        lambda: ("secrets.yml", f"production:\n  secret_key_base: {rs(HEX, 128)}\n", "rails-secrets"),
        lambda: (".json", json.dumps({"webhooks": [{"url": "https://acme.io/hooks/github", "secret": rs(HEX, 40), "events": ["push"]}]}, indent=2) + "\n", "json-webhook-secret"),
        lambda: (".go", f"package auth\n\nvar jwtKey = []byte(\"{rs(ALNUM, 32)}\")\n", "go-jwt-key"),
        lambda: ("x.tfvars", f"region        = \"eu-west-1\"\napi_key       = \"{rs(ALNUM, 40)}\"\nclient_secret = \"{rs(B64URL, 40)}\"\n", "tfvars"),
    ]
    if i % 2 == 1:
        return [], special[(i // 2) % len(special)], "secret"
    return [(pick(SECRET_VARS), val)], None, vname


def k_factory(i):
    body = rs(ALNUM + ("_-" if chance(0.3) else ""), R.randint(40, 64))
    val = ("fk-" + body) if chance(0.4) else body
    return [("FACTORY_API_KEY", val)], None, "fk-" if val.startswith("fk-") else "plain"


def k_npmrc(i):
    style = i % 8
    if style == 0:
        txt, v = f"registry=https://registry.npmjs.org/\n//registry.npmjs.org/:_authToken={crc_token('npm_')}\n", "npm_"
    elif style == 1:
        txt, v = f"@acme:registry=https://npm.pkg.github.com\n//npm.pkg.github.com/:_authToken={crc_token('ghp_')}\n", "ghp"
    elif style == 2:
        txt, v = f"registry=https://registry.npmjs.org/\n//registry.npmjs.org/:_authToken={ruuid()}\nalways-auth=true\n", "uuid-legacy"
    elif style == 3:
        txt, v = (f"registry=https://acme.jfrog.io/artifactory/api/npm/npm-virtual/\n"
                  f"//acme.jfrog.io/artifactory/api/npm/npm-virtual/:_authToken={'AKCp8' + rs(ALNUM, 68)}\n"), "artifactory"
    elif style == 4:
        txt, v = (f"registry=https://nexus.acme.internal/repository/npm-group/\n_auth={b64((rand_user() + ':' + human_password()).encode())}\n"
                  "always-auth=true\nemail=ci@acme.io\n"), "_auth"
    elif style == 5:
        txt, v = f"//gitlab.acme.com/api/v4/projects/42/packages/npm/:_authToken={rs(B64URL, 20)}\n@acme:registry=https://gitlab.acme.com/api/v4/projects/42/packages/npm/\n", "gitlab-deploy"
        return [], lambda: (".npmrc", txt, "npmrc"), v
    elif style == 6:
        return [], lambda: (".yarnrc.yml", f"nodeLinker: node-modules\nnpmRegistryServer: \"https://registry.npmjs.org\"\nnpmAuthToken: {rs(B64URL, 40)}\n", "yarnrc"), "yarnrc"
    else:
        txt, v = f"//registry.npmjs.org/:_password={b64(human_password().encode())}\n//registry.npmjs.org/:username=acme-ci\n", "_password"
    return [], lambda: (".npmrc", txt, "npmrc"), v


def k_netrc(i):
    pw = pick([human_password(), rs(ALNUM, 40), ruuid()])
    host = pick(["api.heroku.com", "github.com", "git.acme.io", "ftp.partner.net", "urs.earthdata.nasa.gov", "nexus.acme.internal"])
    if i % 2:
        txt = f"machine {host}\n  login {pick(['me@acme.io', 'deploy', 'oauth2'])}\n  password {pw}\n"
    else:
        txt = f"machine {host} login {rand_user()} password {pw}\ndefault login anonymous password guest@\n"
    return [], lambda: (pick([".netrc", ".netrc", "_netrc"]), txt, "netrc"), "netrc"


def k_git_credentials(i):
    host = pick(["github.com", "gitlab.com", "bitbucket.org", "git.acme.internal", "dev.azure.com"])
    pw = pick([human_password(), rs(ALNUM, 52), rs(B64URL, 20)])
    lines = [f"https://{rand_user()}:{pw}@{host}"]
    if chance(0.4):
        lines.insert(0, f"https://{rand_user()}:{rs(ALNUM, 32)}@{pick(['bitbucket.org', 'gitea.acme.io'])}")
    return [], lambda: (".git-credentials", "\n".join(lines) + "\n", "git-credentials"), "git-credentials"


def k_docker_config(i):
    reg = pick(["https://index.docker.io/v1/", "ghcr.io", "registry.gitlab.com", "acme.azurecr.io",
                "123456789012.dkr.ecr.us-east-1.amazonaws.com", "quay.io"])
    auth = b64(f"{rand_user()}:{pick([human_password(), rs(ALNUM, 36)])}".encode())
    d = {"auths": {reg: {"auth": auth}}}
    if chance(0.3):
        d["HttpHeaders"] = {"User-Agent": "Docker-Client/24.0.7 (linux)"}
    txt = json.dumps(d, indent=pick([1, 2, 4, None])) + "\n"
    if i % 4 == 3:
        dj = b64(json.dumps(d).encode())
        return [], lambda: ("pull-secret.yaml", f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: regcred\ntype: kubernetes.io/dockerconfigjson\ndata:\n  .dockerconfigjson: {dj}\n", "k8s-dockerconfigjson"), "dockerconfigjson"
    return [], lambda: (pick(["config.json", ".docker/config.json", "x.json"]), txt, "docker-config"), "auths"


def k_k8s_secret(i):
    pw = human_password()
    name = pick(["db-credentials", "app-secrets", "smtp", "api-keys", "postgres"])
    key = pick(["password", "DB_PASSWORD", "api-key", "token", "client-secret", "POSTGRES_PASSWORD"])
    if i % 3 == 2:
        data = f"stringData:\n  username: {rand_user()}\n  {key}: \"{pw}\"\n"
        v = "stringData"
    else:
        data = f"data:\n  username: {b64(rand_user().encode())}\n  {key}: {b64(pw.encode())}\n"
        v = "data-b64"
    txt = f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: {name}\n  namespace: {pick(['default', 'prod', 'payments'])}\ntype: Opaque\n{data}"
    if chance(0.3):
        txt = "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: api\nspec:\n  ports:\n    - port: 80\n---\n" + txt
    return [], lambda: (pick(["secret.yaml", "x.yaml", "x.yml"]), txt, "k8s-secret"), v


def k_auth_header(i):
    style = i % 8
    tok = pick([rs(B64URL, 40), rs(ALNUM, 64), rs(HEX, 40)])
    basic = b64(f"{rand_user()}:{human_password()}".encode())
    if style == 0:
        return [], lambda: (".sh", f"#!/bin/sh\ncurl -sS https://api.acme.io/v2/orders \\\n  -H \"Authorization: Bearer {tok}\" \\\n  -H 'Accept: application/json'\n", "curl-bearer"), "bearer"
    if style == 1:
        return [], lambda: (".py", f"import requests\n\nHEADERS = {{\"Authorization\": \"Bearer {tok}\", \"Content-Type\": \"application/json\"}}\nr = requests.get(URL, headers=HEADERS)\n", "py-bearer"), "bearer"
    if style == 2:
        return [], lambda: (".sh", f"curl -X POST https://jenkins.acme.io/job/deploy/build -H 'Authorization: Basic {basic}'\n", "curl-basic"), "basic"
    if style == 3:
        return [], lambda: (".js", f"fetch('https://api.acme.io/v1/me', {{\n  headers: {{ Authorization: 'Bearer {tok}' }},\n}});\n", "js-bearer"), "bearer"
    if style == 4:
        return [], lambda: ("x.http", f"### get orders\nGET https://api.acme.io/orders\nAuthorization: Bearer {tok}\nAccept: application/json\n", "http-file"), "bearer"
    if style == 5:
        return [], lambda: (".md", f"## Calling the API\n\n```bash\ncurl -H \"Authorization: Basic {basic}\" https://registry.acme.io/v2/_catalog\n```\n", "md-basic"), "basic"
    if style == 6:
        return [], lambda: (".yml", f"http:\n  endpoint: https://api.acme.io\n  headers:\n    Authorization: \"Bearer {tok}\"\n", "yaml-bearer"), "bearer"
    return [], lambda: (".go", f"package main\n\nfunc req(r *http.Request) {{\n\tr.Header.Set(\"Authorization\", \"Bearer {tok}\")\n}}\n", "go-bearer"), "bearer"


def k_azure_ad(i):
    val = rs(ALNUM, 3) + str(R.randint(0, 9)) + "Q~" + rs(ALNUM + "_~.-", 34)
    if i % 3 == 0:
        d = {"AzureAd": {"Instance": "https://login.microsoftonline.com/", "TenantId": ruuid(), "ClientId": ruuid(), "ClientSecret": val}}
        return [], lambda: ("appsettings.json", json.dumps(d, indent=2) + "\n", "appsettings"), "Q~"
    return [(pick(["AZURE_CLIENT_SECRET", "CLIENT_SECRET", "AAD_CLIENT_SECRET", "ARM_CLIENT_SECRET"]), val),
            ("AZURE_CLIENT_ID", ruuid())], None, "Q~"


def jwt_token():
    alg = pick(["HS256", "RS256", "ES256", "HS512"])
    hdr = {"alg": alg, "typ": "JWT"}
    if alg != "HS256" and chance(0.5):
        hdr["kid"] = rs(B64URL, 20)
    now = R.randint(1700000000, 1730000000)
    pl = {"sub": ruuid(), "iat": now, "exp": now + pick([3600, 86400 * 365, 86400 * 3650]),
          "iss": pick(["https://auth.acme.io/", "acme-api", "https://acme.eu.auth0.com/"]),
          "scope": pick(["read write", "admin", "orders:read"])}
    if chance(0.4):
        pl["role"] = pick(["service_role", "admin", "anon"])
    siglen = {"HS256": 43, "RS256": 342, "ES256": 86, "HS512": 86}[alg]
    return (b64url_nopad(json.dumps(hdr, separators=(",", ":")).encode()) + "." +
            b64url_nopad(json.dumps(pl, separators=(",", ":")).encode()) + "." + rs(B64URL, siglen))


def k_jwt(i):
    return [(pick(["ACCESS_TOKEN", "JWT", "AUTH_TOKEN", "SUPABASE_SERVICE_ROLE_KEY", "TOKEN", "BEARER", "SESSION"]), jwt_token())], None, "jwt"


def k_azure_storage(i):
    key = b64(rbytes(64))
    acct = pick(["acmeprod", "stdatalake01", "backupsweu", "mediaassets"])
    cs = f"DefaultEndpointsProtocol=https;AccountName={acct};AccountKey={key};EndpointSuffix=core.windows.net"
    if i % 4 == 1:
        d = {"IsEncrypted": False, "Values": {"AzureWebJobsStorage": cs, "FUNCTIONS_WORKER_RUNTIME": "python"}}
        return [], lambda: ("local.settings.json", json.dumps(d, indent=2) + "\n", "functions"), "connstr"
    if i % 4 == 3:
        d = {"ConnectionStrings": {"Storage": cs}, "Logging": {"LogLevel": {"Default": "Information"}}}
        return [], lambda: ("appsettings.json", json.dumps(d, indent=2) + "\n", "appsettings"), "connstr"
    if i % 8 == 6:
        return [("AZURE_STORAGE_ACCOUNT", acct), ("AZURE_STORAGE_KEY", key)], None, "key-only"
    return [(pick(["AZURE_STORAGE_CONNECTION_STRING", "STORAGE_CONN", "BLOB_CONNECTION"]), cs)], None, "connstr"


def simple(prefix_fn, names, variant):
    def fn(i):
        return [(pick(names), prefix_fn())], None, variant
    return fn


def k_heroku(i):
    if i % 2 == 0:
        return [(pick(["HEROKU_API_KEY", "HEROKU_API_TOKEN", "HEROKU_AUTH_TOKEN"]), ruuid())], None, "uuid"
    return [(pick(["HEROKU_API_KEY", "HEROKU_TOKEN", "TOKEN"]), "HRKU-AA" + rs(B64URL, 58))], None, "HRKU"


def k_square(i):
    c = i % 3
    if c == 0:
        return [(pick(["SQUARE_ACCESS_TOKEN", "SQUARE_TOKEN", "PAYMENTS_TOKEN"]), "EAAA" + rs(B64URL, 60))], None, "EAAA"
    if c == 1:
        return [(pick(["SQUARE_APPLICATION_SECRET", "SQUARE_OAUTH_SECRET"]), "sq0csp-" + rs(B64URL, 43))], None, "sq0csp"
    return [(pick(["SQUARE_ACCESS_TOKEN", "SQ_TOKEN"]), "sq0atp-" + rs(B64URL, 22))], None, "sq0atp"


def k_sentry(i):
    if i % 4 == 3:
        return [(pick(["SENTRY_AUTH_TOKEN", "SENTRY_TOKEN"]), "sntryu_" + rs(HEX, 64))], None, "sntryu"
    payload = {"iat": round(R.uniform(1.70e9, 1.73e9), 6), "url": "https://sentry.io", "region_url": "https://us.sentry.io",
               "org": pick(["acme", "acme-inc", "globex"])}
    tok = "sntrys_" + b64(json.dumps(payload, separators=(",", ":")).encode()).rstrip("=") + "_" + rs(B64, 43)
    return [(pick(["SENTRY_AUTH_TOKEN", "SENTRY_TOKEN", "AUTH_TOKEN"]), tok)], None, "sntrys"


def k_grafana(i):
    if i % 3 == 2:
        inner = {"o": str(R.randint(100000, 999999)), "n": f"stack-{R.randint(100000, 999999)}-hm-read-{pick(['ci', 'agent'])}",
                 "k": rs(ALNUM, 24), "m": {"r": pick(["us", "eu", "prod-us-east-0"])}}
        return [(pick(["GRAFANA_CLOUD_TOKEN", "GRAFANA_TOKEN", "GCLOUD_API_KEY"]), "glc_" + b64(json.dumps(inner, separators=(",", ":")).encode()))], None, "glc_"
    body = rs(ALNUM, 32)
    tok = "glsa_" + body + "_" + format(zlib.crc32(("glsa_" + body).encode()) & 0xFFFFFFFF, "08x")
    return [(pick(["GRAFANA_SERVICE_ACCOUNT_TOKEN", "GRAFANA_API_KEY", "GF_TOKEN", "TOKEN"]), tok)], None, "glsa_"


def k_atlassian(i):
    tok = "ATATT3xFfGF0" + rs(B64URL, 170) + "=" + rs("0123456789ABCDEF", 8)
    return [(pick(["JIRA_API_TOKEN", "ATLASSIAN_API_TOKEN", "CONFLUENCE_TOKEN", "JIRA_TOKEN"]), tok),
            ("JIRA_EMAIL", pick(["ci@acme.io", "ops@acme.io"]))], None, "ATATT3"


def k_datadog(i):
    if i % 3 == 2:
        return [(pick(["DD_API_KEY", "DATADOG_API_KEY"]), rs(HEX, 32)), (pick(["DD_APP_KEY", "DATADOG_APP_KEY"]), rs(HEX, 40))], None, "api+app"
    if i % 4 == 1:
        return [], lambda: ("datadog.yaml", f"## Datadog agent config\napi_key: {rs(HEX, 32)}\nsite: datadoghq.eu\nlogs_enabled: true\n", "agent-yaml"), "agent-yaml"
    return [(pick(["DD_API_KEY", "DATADOG_API_KEY", "DATADOG_KEY"]), rs(HEX, 32))], None, "api"


def k_twilio_wrap(i):
    return k_twilio()


KINDS = {
    "github-token": lambda i: k_github(),
    "github-fine-grained-pat": lambda i: k_github_fine(),
    "gitlab-pat": lambda i: k_gitlab(),
    "npm-token": lambda i: k_npm(),
    "aws-access-key": lambda i: k_aws(),
    "google-api-key": lambda i: k_google(),
    "gcp-service-account": k_gcp,
    "stripe-secret-key": lambda i: k_stripe(),
    "slack-token": lambda i: k_slack(),
    "slack-webhook": lambda i: k_slack_webhook(),
    "twilio": k_twilio_wrap,
    "sendgrid": lambda i: k_sendgrid(),
    "mailchimp": lambda i: k_mailchimp(),
    "openai": lambda i: k_openai(),
    "anthropic": lambda i: k_anthropic(),
    "huggingface": simple(lambda: "hf_" + rs(LETTERS, 34), ["HF_TOKEN", "HUGGINGFACE_TOKEN", "HUGGING_FACE_HUB_TOKEN", "TOKEN"], "hf_"),
    "shopify": simple(lambda: pick(["shpat_", "shpat_", "shpss_", "shpca_", "shppa_"]) + rs(HEX, 32),
                      ["SHOPIFY_ACCESS_TOKEN", "SHOPIFY_API_SECRET", "SHOP_TOKEN", "ADMIN_API_TOKEN"], "shp"),
    "pypi-token": simple(lambda: "pypi-AgEIcHlwaS5vcmc" + rs(B64URL, R.randint(70, 160)),
                         ["PYPI_TOKEN", "TWINE_PASSWORD", "PYPI_API_TOKEN", "UV_PUBLISH_TOKEN"], "pypi-"),
    "dockerhub-pat": simple(lambda: "dckr_pat_" + rs(B64URL, 27), ["DOCKERHUB_TOKEN", "DOCKER_PASSWORD", "REGISTRY_TOKEN"], "dckr_pat_"),
    "digitalocean": simple(lambda: pick(["dop_v1_", "dop_v1_", "doo_v1_"]) + rs(HEX, 64),
                           ["DIGITALOCEAN_TOKEN", "DO_TOKEN", "DIGITALOCEAN_ACCESS_TOKEN"], "do_v1"),
    "heroku": k_heroku,
    "vault-token": simple(lambda: "hvs." + pick(["CAESI", ""]) + rs(B64URL, R.randint(86, 95)),
                          ["VAULT_TOKEN", "VAULT_ROOT_TOKEN", "TOKEN"], "hvs."),
    "databricks": simple(lambda: "dapi" + rs(HEX, 32) + pick(["", "", "-2", "-3"]),
                         ["DATABRICKS_TOKEN", "DBX_TOKEN", "DATABRICKS_ACCESS_TOKEN"], "dapi"),
    "telegram-bot": simple(lambda: f"{R.randint(10**8, 10**10 - 1)}:AA{rs(B64URL, 33)}",
                           ["TELEGRAM_BOT_TOKEN", "BOT_TOKEN", "TG_TOKEN", "TELEGRAM_TOKEN"], "bot"),
    "discord-webhook": simple(lambda: f"https://{pick(['discord.com', 'discordapp.com', 'ptb.discord.com'])}/api/webhooks/{R.randint(10**17, 10**19 - 1)}/{rs(B64URL, 68)}",
                              ["DISCORD_WEBHOOK_URL", "WEBHOOK_URL", "ALERT_HOOK"], "webhook"),
    "azure-storage-key": k_azure_storage,
    "square": k_square,
    "jwt": k_jwt,
    "private-key-rsa": pem_kind(rsa_pem, "rsa"),
    "private-key-ec": pem_kind(ec_pem, "ec"),
    "private-key-openssh": pem_kind(openssh_pem, "openssh"),
    "private-key-pkcs8": pem_kind(pkcs8_pem, "pkcs8"),
    "private-key-dsa": pem_kind(dsa_pem, "dsa"),
    "pgp-private-key": pem_kind(pgp_pem, "pgp"),
    "age-secret-key": k_age,
    "putty-private-key": k_putty,
    "url-credentials": k_url_creds,
    "generic-password": k_generic_password,
    "generic-secret": k_generic_secret,
    "factory-api-key": k_factory,
    "npmrc-auth": k_npmrc,
    "netrc": k_netrc,
    "git-credentials": k_git_credentials,
    "docker-config-auth": k_docker_config,
    "k8s-secret": k_k8s_secret,
    "auth-header": k_auth_header,
    "azure-ad-client-secret": k_azure_ad,
    "linear": simple(lambda: "lin_api_" + rs(ALNUM, 40), ["LINEAR_API_KEY", "LINEAR_TOKEN"], "lin_api_"),
    "grafana": k_grafana,
    "sentry": k_sentry,
    "newrelic": simple(lambda: pick(["NRAK-", "NRAK-", "NRAK-", "NRII-"]) + rs(UPPER + string.digits, 27),
                       ["NEW_RELIC_API_KEY", "NEW_RELIC_USER_KEY", "NR_KEY"], "NRAK"),
    "atlassian": k_atlassian,
    "postman": simple(lambda: "PMAK-" + rs(HEX, 24) + "-" + rs(HEX, 34), ["POSTMAN_API_KEY", "POSTMAN_KEY"], "PMAK"),
    "groq": simple(lambda: "gsk_" + rs(ALNUM, 52), ["GROQ_API_KEY", "LLM_API_KEY", "API_KEY"], "gsk_"),
    "datadog": k_datadog,
}

VARIANTS_PER_KIND = 8
VARIANTS = {"generic-password": 16, "generic-secret": 16, "url-credentials": 10, "factory-api-key": 10}


# --------------------------------------------------------------------------
# negatives
# --------------------------------------------------------------------------

NEG = []  # list of (kind, generator) ; generator returns (name, text, variant)


def neg(kind, weight=1):
    def deco(fn):
        for _ in range(weight):
            NEG.append((kind, fn))
        return fn
    return deco


PLACEHOLDERS = [
    "your-api-key-here", "<TOKEN>", "<YOUR_API_KEY>", "xxxxxxxxxxxxxxxxxxxxxxxx", "changeme", "REPLACE_ME",
    "sk_live_xxxxxxxxxxxxxxxxxxxxxxxx", "ghp_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX", "${GITHUB_TOKEN}",
    "{{ .Values.password }}", "%(password)s", "****", "********", "REDACTED", "[REDACTED]", "<redacted>",
    "YOUR_SECRET_KEY", "insert-your-token", "TODO", "dummy", "example", "password", "secret",
    "your_password_here", "<password>", "${DB_PASSWORD}", "$API_KEY", "{{ secrets.API_KEY }}",
    "${{ secrets.NPM_TOKEN }}", "<%= ENV['SECRET_KEY_BASE'] %>", "{{ vault \"secret/data/app\" \"token\" }}",
    "AKIAXXXXXXXXXXXXXXXX", "sk-...", "sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    "xoxb-your-bot-token", "glpat-xxxxxxxxxxxxxxxxxxxx", "hf_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    "sk-ant-api03-...", "npm_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX", "SG.xxxxxxxxxxxxxxxxxxxxxx.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    "<insert key>", "enter-password", "none", "null", "PLACEHOLDER", "my-secret-token", "test", "abc123",
    "0000000000000000000000000000000000000000", "__SECRET__", "@@API_KEY@@", "#{API_TOKEN}#",
    "sk_live_" + "X" * 24, "AIzaXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX", "dop_v1_" + "x" * 64,
    "fk-your-factory-key", "your-factory-api-key",
]

CTX_VARS = ["API_KEY", "SECRET_KEY", "DB_PASSWORD", "GITHUB_TOKEN", "STRIPE_SECRET_KEY", "AUTH_TOKEN",
            "OPENAI_API_KEY", "AWS_SECRET_ACCESS_KEY", "SLACK_BOT_TOKEN", "CLIENT_SECRET", "PASSWORD",
            "FACTORY_API_KEY", "NPM_TOKEN", "SENDGRID_API_KEY", "ANTHROPIC_API_KEY"]

PH_TYPES = ["py", "js", "ts", "go", "java", "rb", "php", "cs", "rs", "sh", "env", "yml", "json", "toml",
            "ini", "properties", "xml", "tf", "md", "txt", "dockerfile", "compose", "jenkins", "k8s"]


@neg("placeholder", 70)
def n_placeholder():
    n = R.randint(1, 3)
    pairs = [(pick(CTX_VARS), pick(PLACEHOLDERS)) for _ in range(n)]
    t = pick(PH_TYPES)
    name, text = EMBEDDERS[t](pairs)
    return name, text, t + ":" + pairs[0][1][:24]


ENV_REFS = {
    "py": ['{v} = os.environ["{V}"]', '{v} = os.getenv("{V}")', '{v} = os.environ.get("{V}", "")',
           '{v} = settings.{V}', '{v} = get_secret("prod/{k}")["{k}"]',
           '{v} = boto3.client("secretsmanager").get_secret_value(SecretId="{k}")["SecretString"]',
           '{v} = hvac.Client().secrets.kv.read_secret_version(path="{k}")["data"]["data"]["value"]',
           '{v} = request.form["password"]', '{v} = getpass.getpass("Password: ")',
           '{v} = config.get("auth", "{k}")', '{v}: str = Field(..., env="{V}")', '{v} = None'],
    "js": ["const {c} = process.env.{V};", "const {c} = process.env.{V} ?? '';", "const {{ {c} }} = process.env;",
           "const {c} = await secrets.getSecretValue({{ SecretId: '{k}' }}).promise();",
           "const {c} = req.body.password;", "const {c} = config.get('{k}');", "let {c} = '';"],
    "go": ['{c} := os.Getenv("{V}")', '{c}, ok := os.LookupEnv("{V}")', '{c} := viper.GetString("{k}")',
           '{c} := r.FormValue("password")'],
    "rb": ["{v} = ENV['{V}']", "{v} = ENV.fetch('{V}')", "{v} = Rails.application.credentials.{k}",
           "{v} = params[:password]"],
    "java": ['String {c} = System.getenv("{V}");', '@Value("${{{k}}}") private String {c};',
             'String {c} = secretClient.getSecret("{k}").getValue();'],
    "cs": ['var {c} = Environment.GetEnvironmentVariable("{V}");', 'var {c} = configuration["{V}"];',
           'var {c} = await client.GetSecretAsync("{k}");'],
    "php": ["${c} = getenv('{V}');", "${c} = $_ENV['{V}'] ?? null;", "${c} = env('{V}');",
            "${c} = $_POST['password'];"],
    "rs": ['let {v} = std::env::var("{V}")?;', 'let {v} = env::var("{V}").expect("{V} must be set");'],
    "sh": ['{V}="${{{V}:?missing}}"', '{V}=$(vault kv get -field=value secret/{k})',
           '{V}="$(aws secretsmanager get-secret-value --secret-id {k} --query SecretString --output text)"',
           'read -rsp "Password: " {V}', '{V}=$(cat /run/secrets/{k})', 'export {V}="${{{V}}}"'],
    "yml": ["{k}: ${{{V}}}", "{k}: ${{{{ secrets.{V} }}}}", "{k}: !vault secret/data/app#{k}",
            "{k}: \"{{{{ .Values.{c} }}}}\"", "{k}: ((vault:{k}))", "- name: {V}\n  valueFrom:\n    secretKeyRef:\n      name: app-secrets\n      key: {k}",
            "{k}: \"{{{{ lookup('env', '{V}') }}}}\"", "{k}: ~", "{k}: ''"],
    "tf": ['{k} = var.{k}', '{k} = data.aws_secretsmanager_secret_version.{k}.secret_string',
           '{k} = random_password.{k}.result', '{k} = data.vault_generic_secret.app.data["{k}"]'],
}
LANG_EXT = {"py": ".py", "js": ".js", "go": ".go", "rb": ".rb", "java": ".java", "cs": ".cs", "php": ".php",
            "rs": ".rs", "sh": ".sh", "yml": ".yml", "tf": ".tf"}


@neg("env-reference", 45)
def n_env_ref():
    lang = pick(list(ENV_REFS))
    lines = []
    for _ in range(R.randint(1, 4)):
        V = pick(CTX_VARS)
        lines.append(pick(ENV_REFS[lang]).format(V=V, v=snake(V), c=camel(V), k=snake(V)))
    head = fill(lang) if lang in FILL else ""
    if lang == "php":
        head = "<?php\n" + head
    if lang == "go":
        head = "package main\n" + head + "\nfunc load() {\n"
        lines = ["\t" + ln for ln in lines] + ["}"]
    if lang == "java":
        head = "public class Secrets {\n"
        lines = ["    " + ln for ln in lines] + ["}"]
    return "x" + LANG_EXT[lang], head + "\n" + "\n".join(lines) + "\n", lang


EXAMPLE_FILES = [
    ("aws-example", lambda: ("[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n"
                             "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\nregion = us-west-2\n"), "credentials"),
    ("aws-example-md", lambda: ("## Configure the CLI\n\n```\n$ aws configure\nAWS Access Key ID [None]: AKIAIOSFODNN7EXAMPLE\n"
                                "AWS Secret Access Key [None]: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n"
                                "Default region name [None]: us-west-2\nDefault output format [None]: json\n```\n"), ".md"),
    ("aws-example-env", lambda: ("# example values from the AWS docs\nAWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n"
                                 "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n"), ".env.example"),
    ("aws-example-py", lambda: ("import boto3\n\n# Example only; see https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html\n"
                                "session = boto3.Session(\n    aws_access_key_id=\"AKIAIOSFODNN7EXAMPLE\",\n"
                                "    aws_secret_access_key=\"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\",\n)\n"), ".py"),
    ("aws-example-tf", lambda: ("provider \"aws\" {\n  region     = \"us-west-2\"\n  access_key = \"AKIAIOSFODNN7EXAMPLE\"\n"
                                "  secret_key = \"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\"\n}\n"), ".tf"),
    ("aws-example-key2", lambda: ("AWS_ACCESS_KEY_ID=AKIAI44QH8DHBEXAMPLE\n"
                                  "AWS_SECRET_ACCESS_KEY=je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY\n"), ".env.sample"),
    ("jwt-io-example", lambda: ("# Decoding a token\n\nPaste the example token from jwt.io:\n\n```\n"
                                "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c\n"
                                "```\n\nThe payload is `{\"sub\": \"1234567890\", \"name\": \"John Doe\"}`.\n"), ".md"),
    ("slack-doc-example", lambda: ("client = WebClient(token=\"xoxb-not-a-real-token-this-will-not-work\")\n"), ".py"),
    ("stripe-doc-test", lambda: ("// From the Stripe docs quickstart (test mode key)\n"
                                 "const stripe = require('stripe')('sk_test_4eC39HqLyjWDarjtT1zdp7dc');\n"), ".js"),
    ("twilio-doc", lambda: ("# Find your Account SID and Auth Token at twilio.com/console\n"
                            "account_sid = 'ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX'\nauth_token = 'your_auth_token'\n"), ".py"),
]


AZURITE_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
AZURITE_CS = ("DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + AZURITE_KEY +
              ";BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;")


@neg("documented-example", 8)
def n_example():
    v, fn, ext = pick(EXAMPLE_FILES)
    return ("x" + ext if ext.startswith(".") else ext), fn(), v


@neg("documented-example", 10)
def n_example_embedded():
    """Well-known documentation / emulator credentials in ordinary files."""
    style = R.randrange(3)
    if style == 0:
        pairs = [("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE"), ("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")]
        v = "aws-example"
    elif style == 1:
        pairs = [("AZURE_STORAGE_CONNECTION_STRING", AZURITE_CS)]
        v = "azurite-connstr"
    else:
        pairs = [("AZURITE_ACCOUNT_NAME", "devstoreaccount1"), ("AZURITE_ACCOUNT_KEY", AZURITE_KEY)]
        v = "azurite-key"
    t = pick(["py", "js", "go", "yml", "json", "env", "sh", "md", "cs", "compose", "tf", "java"])
    name, text = EMBEDDERS[t](pairs)
    return name, text, v + "/" + t


def sri():
    return "sha512-" + b64(rbytes(64))


@neg("lockfile-hash", 3)
def n_package_lock():
    pk = {}
    for name in R.sample(["lodash", "react", "react-dom", "express", "chalk", "debug", "ms", "semver",
                          "uuid", "axios", "follow-redirects", "tslib", "@babel/core", "minimist", "ws"], 8):
        pk[f"node_modules/{name}"] = {
            "version": f"{R.randint(1, 18)}.{R.randint(0, 20)}.{R.randint(0, 30)}",
            "resolved": f"https://registry.npmjs.org/{name}/-/{name.split('/')[-1]}-1.0.0.tgz",
            "integrity": sri() if chance(0.85) else "sha1-" + b64(rbytes(20)),
            "dev": chance(0.3),
        }
    d = {"name": "web", "version": "1.0.0", "lockfileVersion": 3, "requires": True,
         "packages": {"": {"name": "web", "version": "1.0.0"}, **pk}}
    return "package-lock.json", json.dumps(d, indent=2) + "\n", "package-lock"


@neg("lockfile-hash", 3)
def n_yarn_lock():
    out = ["# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.", "# yarn lockfile v1", ""]
    for name in R.sample(["ansi-regex", "brace-expansion", "camelcase", "color-name", "glob", "inherits",
                          "js-tokens", "once", "wrappy", "yallist"], 6):
        ver = f"{R.randint(1, 9)}.{R.randint(0, 9)}.{R.randint(0, 9)}"
        out += [f"{name}@^{ver}:", f"  version \"{ver}\"",
                f"  resolved \"https://registry.yarnpkg.com/{name}/-/{name}-{ver}.tgz#{rs(HEX, 40)}\"",
                f"  integrity {sri()}", ""]
    return "yarn.lock", "\n".join(out), "yarn.lock"


@neg("lockfile-hash", 3)
def n_cargo_lock():
    out = ["# This file is automatically @generated by Cargo.", "# It is not intended for manual editing.", "version = 3", ""]
    for name in R.sample(["aho-corasick", "memchr", "regex", "serde", "serde_json", "itoa", "ryu", "libc", "cfg-if"], 6):
        out += ["[[package]]", f"name = \"{name}\"", f"version = \"{R.randint(0, 2)}.{R.randint(0, 30)}.{R.randint(0, 20)}\"",
                "source = \"registry+https://github.com/rust-lang/crates.io-index\"",
                f"checksum = \"{rs(HEX, 64)}\"", ""]
    return "Cargo.lock", "\n".join(out), "Cargo.lock"


@neg("lockfile-hash", 3)
def n_go_sum():
    out = []
    for mod in R.sample(["github.com/pkg/errors", "golang.org/x/sys", "github.com/stretchr/testify",
                         "github.com/davecgh/go-spew", "gopkg.in/yaml.v3", "github.com/google/uuid"], 5):
        ver = f"v{R.randint(0, 2)}.{R.randint(0, 20)}.{R.randint(0, 9)}"
        out.append(f"{mod} {ver} h1:{b64(rbytes(32))}")
        out.append(f"{mod} {ver}/go.mod h1:{b64(rbytes(32))}")
    return "go.sum", "\n".join(out) + "\n", "go.sum"


@neg("lockfile-hash", 3)
def n_poetry_lock():
    out = []
    for name in R.sample(["requests", "urllib3", "certifi", "idna", "charset-normalizer", "pydantic"], 4):
        ver = f"{R.randint(1, 3)}.{R.randint(0, 30)}.{R.randint(0, 9)}"
        out += ["[[package]]", f"name = \"{name}\"", f"version = \"{ver}\"", "optional = false",
                "python-versions = \">=3.8\"", "files = [",
                f"    {{file = \"{name}-{ver}-py3-none-any.whl\", hash = \"sha256:{rs(HEX, 64)}\"}},",
                f"    {{file = \"{name}-{ver}.tar.gz\", hash = \"sha256:{rs(HEX, 64)}\"}},", "]", ""]
    out += ["[metadata]", "lock-version = \"2.0\"", "python-versions = \"^3.11\"", f"content-hash = \"{rs(HEX, 64)}\""]
    return "poetry.lock", "\n".join(out) + "\n", "poetry.lock"


@neg("lockfile-hash", 3)
def n_pnpm_lock():
    out = ["lockfileVersion: '6.0'", "", "packages:", ""]
    for name in R.sample(["/acorn@8.11.3", "/esbuild@0.20.2", "/picocolors@1.0.0", "/rollup@4.14.0", "/vite@5.2.8"], 4):
        out += [f"  {name}:", f"    resolution: {{integrity: {sri()}}}", "    dev: true", ""]
    return "pnpm-lock.yaml", "\n".join(out), "pnpm-lock"


@neg("lockfile-hash", 3)
def n_requirements_hashes():
    out = ["# This file is autogenerated by pip-compile", ""]
    for name in R.sample(["requests==2.31.0", "urllib3==2.2.1", "idna==3.6", "certifi==2024.2.2", "click==8.1.7"], 3):
        out += [f"{name} \\", f"    --hash=sha256:{rs(HEX, 64)} \\", f"    --hash=sha256:{rs(HEX, 64)}"]
    return "requirements.txt", "\n".join(out) + "\n", "pip-hashes"


@neg("lockfile-hash", 3)
def n_tf_lock():
    out = ["# This file is maintained automatically by \"terraform init\".", ""]
    for prov in ["hashicorp/aws", "hashicorp/random"]:
        out += [f"provider \"registry.terraform.io/{prov}\" {{", f"  version = \"5.{R.randint(0, 40)}.0\"", "  hashes = [",
                f"    \"h1:{b64(rbytes(32))}\","] + [f"    \"zh:{rs(HEX, 64)}\"," for _ in range(4)] + ["  ]", "}", ""]
    return ".terraform.lock.hcl", "\n".join(out), "tf-lock"


@neg("lockfile-hash", 3)
def n_composer_lock():
    d = {"_readme": ["This file locks the dependencies of your project to a known state"],
         "content-hash": rs(HEX, 32),
         "packages": [{"name": "monolog/monolog", "version": "3.5.0",
                       "source": {"type": "git", "url": "https://github.com/Seldaek/monolog.git", "reference": rs(HEX, 40)},
                       "dist": {"type": "zip", "url": "https://api.github.com/repos/Seldaek/monolog/zipball/" + rs(HEX, 40),
                                "reference": rs(HEX, 40), "shasum": ""}}]}
    return "composer.lock", json.dumps(d, indent=4) + "\n", "composer.lock"


@neg("checksum", 5)
def n_checksums():
    style = R.randrange(5)
    files = ["leakshield-x86_64-unknown-linux-gnu.tar.gz", "leakshield-aarch64-apple-darwin.tar.gz",
             "leakshield-x86_64-pc-windows-msvc.zip", "install.sh", "SOURCE.tar.xz"]
    if style == 0:
        return "SHA256SUMS", "".join(f"{rs(HEX, 64)}  {f}\n" for f in files), "sha256sums"
    if style == 1:
        return "checksums.md5", "".join(f"{rs(HEX, 32)}  {f}\n" for f in files), "md5"
    if style == 2:
        return "x.sha1", "".join(f"{rs(HEX, 40)} *{f}\n" for f in files), "sha1"
    if style == 3:
        return "x.yml", ("images:\n" + "".join(
            f"  - name: {n}\n    digest: sha256:{rs(HEX, 64)}\n" for n in ["api", "worker", "nginx"])), "image-digests"
    return "Dockerfile", (f"FROM python:3.12-slim@sha256:{rs(HEX, 64)} AS build\n"
                          f"RUN curl -fsSLo /tmp/tool.tgz https://example.com/tool.tgz \\\n"
                          f" && echo \"{rs(HEX, 64)}  /tmp/tool.tgz\" | sha256sum -c -\n"
                          f"FROM gcr.io/distroless/python3@sha256:{rs(HEX, 64)}\n"), "dockerfile-digest"


@neg("git-sha", 6)
def n_changelog():
    out = ["# Changelog", ""]
    for i in range(R.randint(3, 6)):
        out += [f"## [1.{R.randint(0, 9)}.{i}] - 2024-0{R.randint(1, 9)}-1{R.randint(0, 9)}", ""]
        for _ in range(R.randint(2, 4)):
            sha = rs(HEX, pick([7, 40]))
            out.append(pick([f"- Fix token refresh race ({sha})", f"- Bump deps [`{sha}`](https://github.com/acme/api/commit/{sha})",
                             f"- Rotate secret handling in auth middleware, commit {sha}", f"* {sha} Merge pull request #{R.randint(10, 999)} from acme/password-reset"]))
        out.append("")
    return pick(["CHANGELOG.md", "x.md", "HISTORY.txt"]), "\n".join(out), "changelog"


@neg("uuid", 12)
def n_uuid():
    keys = ["request_id", "tenant_id", "subscription_id", "correlationId", "trace_id", "id", "client_id",
            "app_id", "instance_id", "workspace_id", "project_id", "object_id", "messageId", "build_id"]
    ks = R.sample(keys, R.randint(2, 5))
    style = R.randrange(3)
    if style == 0:
        return "x.json", json.dumps({k: ruuid() for k in ks}, indent=2) + "\n", "json"
    if style == 1:
        return "x.yml", "".join(f"{k}: {ruuid()}\n" for k in ks), "yaml"
    return "x.py", "".join(f"{k.upper()} = \"{ruuid()}\"\n" for k in ks), "py"


def fake_pem_body(nbytes, prefix=b""):
    data = prefix + rbytes(max(0, nbytes - len(prefix)))
    s = b64(data)
    return "\n".join(s[i:i + 64] for i in range(0, len(s), 64))


@neg("public-key", 22)
def n_public_key():
    style = R.randrange(7)
    if style == 0:
        lines = [f"ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQ{b64(rbytes(380))} {pick(['alice', 'bob', 'deploy'])}@{pick(['laptop', 'ci', 'bastion'])}"
                 for _ in range(R.randint(1, 3))]
        lines.append(f"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI{b64(rbytes(32))} ops@acme")
        return "authorized_keys", "\n".join(lines) + "\n", "authorized_keys"
    if style == 1:
        return "x.pem", "-----BEGIN PUBLIC KEY-----\n" + fake_pem_body(294, b"\x30\x82\x01\x22\x30\x0d") + "\n-----END PUBLIC KEY-----\n", "public-key-pem"
    if style == 2:
        return "x.crt", "-----BEGIN CERTIFICATE-----\n" + fake_pem_body(1200, b"\x30\x82\x04\xac\x30\x82") + "\n-----END CERTIFICATE-----\n", "certificate"
    if style == 3:
        return "known_hosts", "".join(f"|1|{b64(rbytes(20))}|{b64(rbytes(20))} ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBB{b64(rbytes(64))}\n" for _ in range(3)), "known_hosts"
    if style == 4:
        key = {"keys": [{"kty": "RSA", "use": "sig", "kid": rs(HEX, 16), "alg": "RS256", "e": "AQAB",
                         "n": b64url_nopad(rbytes(256))}]}
        return "jwks.json", json.dumps(key, indent=2) + "\n", "jwks"
    if style == 5:
        return "x.asc", ("-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n" + fake_pem_body(1100, b"\x99\x01\x0d\x04") +
                         "\n=" + b64(rbytes(3)) + "\n-----END PGP PUBLIC KEY BLOCK-----\n"), "pgp-public"
    cert = "-----BEGIN CERTIFICATE-----\n" + fake_pem_body(900, b"\x30\x82\x03\x80\x30\x82") + "\n-----END CERTIFICATE-----\n"
    return "x.yml", ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ca-bundle\ndata:\n  ca.crt: |\n" +
                     "".join("    " + ln + "\n" for ln in cert.splitlines())), "configmap-ca"


@neg("data-uri", 10)
def n_data_uri():
    style = R.randrange(4)
    png = b64(b"\x89PNG\r\n\x1a\n" + rbytes(R.randint(200, 900)))
    if style == 0:
        return ".css", (".logo {\n  width: 32px;\n  background-image: url(\"data:image/png;base64," + png + "\");\n}\n"
                        "@font-face {\n  font-family: 'Inter';\n  src: url(data:font/woff2;base64," + b64(b"wOF2" + rbytes(600)) + ") format('woff2');\n}\n"), "css"
    if style == 1:
        return ".html", ("<!doctype html>\n<html>\n<body>\n  <img alt=\"spinner\" src=\"data:image/gif;base64," + b64(b"GIF89a" + rbytes(300)) +
                         "\">\n</body>\n</html>\n"), "html"
    if style == 2:
        return ".md", "![diagram](data:image/png;base64," + png + ")\n\nThe diagram above shows the token refresh flow.\n", "md"
    return ".json", json.dumps({"icons": [{"src": "data:image/png;base64," + png, "sizes": "48x48"}], "name": "app"}, indent=2) + "\n", "manifest"


def mini_ident():
    return pick(LETTERS) + rs(ALNUM, R.randint(0, 2))


@neg("minified-js", 10)
def n_minified():
    parts = []
    for _ in range(R.randint(40, 120)):
        r = R.randrange(6)
        a, b = mini_ident(), mini_ident()
        if r == 0:
            parts.append(f"function {a}({b}){{return {b}&&{b}.__esModule?{b}:{{default:{b}}}}}")
        elif r == 1:
            parts.append(f"var {a}=\"{rs(HEX, 8)}\";")
        elif r == 2:
            parts.append(f"{a}.exports={{\"{rs(LOWER, 6)}\":\"{rs(B64URL, R.randint(20, 40))}\"}};")
        elif r == 3:
            parts.append(f"{a}[{R.randint(100, 9999)}]=function({b}){{{b}.p=\"/static/\"}};")
        elif r == 4:
            parts.append(f"{a}.{rs(LOWER, 5)}=\"{pick(['token', 'apiKey', 'password', 'secret'])}\";")
        else:
            parts.append(f"{{{R.randint(100, 999)}:\"{rs(HEX, 20)}\",{R.randint(100, 999)}:\"{rs(HEX, 20)}\"}}")
    src = "!function(){" + "".join(parts) + "}();\n//# sourceMappingURL=main." + rs(HEX, 8) + ".js.map\n"
    return pick(["x.js", "main.min.js", "vendor.js"]), src, "bundle"


@neg("sourcemap", 4)
def n_sourcemap():
    segs = ";".join(",".join(rs("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", R.choice([4, 5, 6, 7, 8])) for _ in range(R.randint(3, 12))) for _ in range(200))
    d = {"version": 3, "file": "main.js", "sources": ["webpack://app/./src/auth/token.ts", "webpack://app/./src/api/client.ts"],
         "names": ["token", "apiKey", "password", "refreshToken", "secret"], "mappings": segs}
    return "main.js.map", json.dumps(d) + "\n", "sourcemap"


VAR_NAME_SNIPPETS = [
    ("py", 'password = request.form["password"]\nuser = authenticate(username=username, password=password)\n'),
    ("py", 'API_KEY_ENV_VAR = "OPENAI_API_KEY"\nTOKEN_HEADER = "X-Auth-Token"\nSECRET_NAME = "prod/db/credentials"\n'),
    ("py", 'class User(Base):\n    __tablename__ = "users"\n    id = Column(Integer, primary_key=True)\n    email = Column(String(255), unique=True)\n    password_hash = Column(String(128), nullable=False)\n    api_key_last4 = Column(String(4))\n'),
    ("py", 'def login(username: str, password: str) -> Token:\n    """Exchange a username and password for an access token."""\n    if not verify_password(password, user.password_hash):\n        raise InvalidCredentials()\n    return issue_token(user)\n'),
    ("py", 'PASSWORD_MIN_LENGTH = 12\nTOKEN_TTL_SECONDS = 3600\nSECRET_KEY_FALLBACKS = []\nAPI_KEY_PREFIX = "ak_"\nmax_tokens = 4096\n'),
    ("py", 'parser.add_argument("--password", help="database password (or set PGPASSWORD)")\nparser.add_argument("--api-key", dest="api_key", default=None)\n'),
    ("py", 'class Settings(BaseSettings):\n    database_url: PostgresDsn\n    secret_key: SecretStr\n    stripe_api_key: SecretStr = Field(alias="STRIPE_API_KEY")\n    access_token_expire_minutes: int = 30\n'),
    ("yml", 'token_url: https://oauth2.googleapis.com/token\nauthorization_url: https://accounts.google.com/o/oauth2/v2/auth\nscopes:\n  - openid\n  - email\nmax_tokens: 4096\n'),
    ("yml", 'secret_name: db-credentials\nsecret_key_ref: password\nauth:\n  type: api_key\n  header: X-API-Key\n  password_policy:\n    min_length: 12\n    require_symbols: true\n'),
    ("yml", 'openai:\n  model: gpt-4o\n  max_tokens: 4096\n  temperature: 0.2\n  api_key_env: OPENAI_API_KEY\n'),
    ("yml", 'envFrom:\n  - secretRef:\n      name: api-secrets\nvolumes:\n  - name: tls\n    secret:\n      secretName: api-tls\n'),
    ("json", '{\n  "login": {\n    "password": "Password",\n    "forgot_password": "Forgot your password?",\n    "api_key": "API key",\n    "token_expired": "Your session token has expired"\n  }\n}\n'),
    ("json", '{\n  "type": "object",\n  "properties": {\n    "password": {"type": "string", "minLength": 8, "format": "password"},\n    "apiKey": {"type": "string", "description": "Your API key"},\n    "token": {"type": "string", "pattern": "^[A-Za-z0-9_-]{20,}$"}\n  },\n  "required": ["password"]\n}\n'),
    ("sql", 'CREATE TABLE users (\n  id BIGSERIAL PRIMARY KEY,\n  email TEXT NOT NULL UNIQUE,\n  password_hash TEXT NOT NULL,\n  password_salt TEXT,\n  api_token_digest CHAR(64),\n  reset_password_token VARCHAR(255),\n  created_at TIMESTAMPTZ DEFAULT now()\n);\n'),
    ("js", "const { password, confirmPassword } = req.body;\nif (password !== confirmPassword) {\n  return res.status(400).json({ error: 'passwords do not match' });\n}\nconst token = jwt.sign({ sub: user.id }, process.env.JWT_SECRET, { expiresIn: '1h' });\n"),
    ("js", "export const PASSWORD_FIELD = 'password';\nexport const TOKEN_STORAGE_KEY = 'auth.token';\nexport const SECRET_HEADER = 'x-webhook-secret';\nexport const API_KEY_PARAM = 'api_key';\n"),
    ("ts", "export interface Credentials {\n  username: string;\n  password: string;\n  apiKey?: string;\n  accessToken: string | null;\n}\n\nexport type TokenResponse = { access_token: string; refresh_token: string; expires_in: number };\n"),
    ("go", 'type Config struct {\n\tPassword string `env:"DB_PASSWORD,required"`\n\tAPIKey   string `env:"API_KEY"`\n\tToken    string `json:"token,omitempty"`\n}\n'),
    ("java", '@Column(name = "password_hash", nullable = false)\nprivate String passwordHash;\n\n@JsonProperty("access_token")\nprivate String accessToken;\n'),
    ("env", "# Copy to .env and fill in\nDATABASE_URL=\nSTRIPE_SECRET_KEY=\nOPENAI_API_KEY=\nGITHUB_TOKEN=\nSESSION_SECRET=\n"),
    ("tf", 'variable "db_password" {\n  type      = string\n  sensitive = true\n}\n\nvariable "api_token" {\n  description = "API token for the provider"\n  type        = string\n}\n'),
    ("ini", "[auth]\npassword_file = /run/secrets/db_password\ntoken_path = /var/run/secrets/kubernetes.io/serviceaccount/token\nkeyfile = /etc/ssl/private/server.key\nsecret_store = vault\n"),
    ("properties", "spring.datasource.password=${DB_PASSWORD}\nspring.security.oauth2.client.registration.github.client-secret=${GITHUB_CLIENT_SECRET}\napp.jwt.secret=${JWT_SECRET:}\n"),
    ("xml", '<connectionStrings>\n  <add name="Default" connectionString="Server=db;Database=app;Integrated Security=true;" />\n</connectionStrings>\n<appSettings>\n  <add key="TokenLifetimeMinutes" value="60" />\n  <add key="PasswordResetEnabled" value="true" />\n</appSettings>\n'),
    ("cs", 'public class LoginModel\n{\n    [Required]\n    [DataType(DataType.Password)]\n    public string Password { get; set; }\n\n    public string ApiKey => _options.ApiKey;\n}\n'),
    ("rb", "validates :password, length: { minimum: 12 }, if: :password_required?\nhas_secure_password\nhas_secure_token :api_token\n"),
    ("sh", 'if [ -z "${GITHUB_TOKEN:-}" ]; then\n  echo "GITHUB_TOKEN is not set" >&2\n  exit 1\nfi\ncurl -H "Authorization: Bearer ${GITHUB_TOKEN}" https://api.github.com/user\n'),
    ("php", "<?php\n$password = $_POST['password'] ?? '';\nif (!password_verify($password, $user->password_hash)) {\n    throw new AuthException('bad password');\n}\n"),
    ("rs", 'pub struct Credentials {\n    pub username: String,\n    pub password: SecretString,\n    pub api_key: Option<String>,\n}\n\nconst TOKEN_ENV: &str = "API_TOKEN";\n'),
    ("md", "| Setting | Description |\n| --- | --- |\n| `api_key` | Your API key, from the dashboard |\n| `password` | Database password |\n| `token_url` | OAuth token endpoint |\n"),
    ("dockerfile", "FROM node:20-alpine\nARG NPM_TOKEN\nRUN --mount=type=secret,id=npm_token NPM_TOKEN=$(cat /run/secrets/npm_token) npm ci\nENV NODE_ENV=production\n"),
    ("compose", 'services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD_FILE: /run/secrets/db_password\n    secrets:\n      - db_password\nsecrets:\n  db_password:\n    file: ./secrets/db_password.txt\n'),
    ("jenkins", "pipeline {\n  agent any\n  stages {\n    stage('Publish') {\n      steps {\n        withCredentials([string(credentialsId: 'npm-token', variable: 'NPM_TOKEN')]) {\n          sh 'npm publish'\n        }\n      }\n    }\n  }\n}\n"),
    ("yml", "- name: Publish\n  env:\n    NODE_AUTH_TOKEN: ${{ secrets.NPM_TOKEN }}\n    GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}\n  run: npm publish\n"),
]
TYPE_NAME = {"py": ".py", "yml": ".yml", "json": ".json", "sql": ".sql", "js": ".js", "ts": ".ts", "go": ".go",
             "java": ".java", "env": ".env.example", "tf": ".tf", "ini": ".ini", "properties": ".properties",
             "xml": ".xml", "cs": ".cs", "rb": ".rb", "sh": ".sh", "php": ".php", "rs": ".rs", "md": ".md",
             "dockerfile": "Dockerfile", "compose": "docker-compose.yml", "jenkins": "Jenkinsfile"}


@neg("variable-name", 1)
def n_varname():
    t, txt = pick(VAR_NAME_SNIPPETS)
    if chance(0.5):
        t2, txt2 = pick([x for x in VAR_NAME_SNIPPETS if x[0] == t])
        if txt2 != txt:
            txt = txt + "\n" + txt2
    name = TYPE_NAME[t]
    if name.startswith(".") and name.count(".") == 1:
        name = "x" + name
    return name, txt, t


for _ in range(44):
    NEG.append(("variable-name", n_varname))


PROSE = [
    "GitHub personal access tokens start with `ghp_`, OAuth tokens with `gho_`, and fine-grained tokens with `github_pat_`.",
    "Stripe secret keys look like `sk_live_...` in live mode and `sk_test_...` in test mode; restricted keys use `rk_live_`.",
    "AWS access key IDs begin with `AKIA` (long-term) or `ASIA` (temporary STS credentials).",
    "Slack bot tokens begin with `xoxb-` and user tokens with `xoxp-`. Never paste them into issues.",
    "OpenAI project keys are prefixed with `sk-proj-`; Anthropic keys with `sk-ant-api03-`.",
    "A GitLab personal access token has the prefix `glpat-` followed by 20 characters.",
    "Hugging Face user access tokens start with `hf_`. Create one under Settings -> Access Tokens.",
    "The private key file begins with `-----BEGIN OPENSSH PRIVATE KEY-----`; keep it out of the repository.",
    "Set `FACTORY_API_KEY` in your shell profile; the CLI refuses to start without it.",
    "PyPI API tokens begin with `pypi-` and are used as the password with the username `__token__`.",
    "Google API keys start with `AIza` and are 39 characters long.",
    "Docker Hub personal access tokens use the `dckr_pat_` prefix.",
    "If you see `password authentication failed for user \"postgres\"`, check `PGPASSWORD`.",
    "The `Authorization: Bearer <token>` header must be sent on every request.",
    "DigitalOcean tokens (`dop_v1_`) and Vault service tokens (`hvs.`) are both detected by the pre-commit hook.",
    "Twilio API key SIDs start with `SK` and account SIDs with `AC`, each followed by 32 hex characters.",
]


@neg("prose", 20)
def n_prose():
    paras = R.sample(PROSE, R.randint(2, 5))
    style = R.randrange(3)
    if style == 0:
        return ".md", "# Security FAQ\n\n" + "\n\n".join(paras) + "\n", "md"
    if style == 1:
        return ".txt", "\n\n".join(paras) + "\n", "txt"
    return ".py", '"""Token helpers.\n\n' + "\n".join(paras) + '\n"""\n\nPREFIXES = ("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_")\n', "docstring"


@neg("random-non-secret", 1)
def n_asset_manifest():
    files = {f"main.js": f"/static/js/main.{rs(HEX, 8)}.js", "main.css": f"/static/css/main.{rs(HEX, 8)}.css"}
    for _ in range(6):
        n = R.randint(100, 999)
        files[f"static/js/{n}.{rs(HEX, 8)}.chunk.js"] = f"/static/js/{n}.{rs(HEX, 8)}.chunk.js"
    return "asset-manifest.json", json.dumps({"files": files, "entrypoints": [f"static/css/main.{rs(HEX, 8)}.css"]}, indent=2) + "\n", "asset-manifest"


@neg("random-non-secret", 1)
def n_html_nonce():
    nonce = b64(rbytes(16))
    return ".html", (f"<!doctype html>\n<html lang=\"en\">\n<head>\n  <meta charset=\"utf-8\">\n"
                     f"  <meta http-equiv=\"Content-Security-Policy\" content=\"script-src 'nonce-{nonce}' 'strict-dynamic'\">\n"
                     f"  <link rel=\"stylesheet\" href=\"/assets/app.{rs(HEX, 20)}.css\" integrity=\"sha384-{b64(rbytes(48))}\" crossorigin=\"anonymous\">\n"
                     f"  <script nonce=\"{nonce}\" src=\"/assets/app.{rs(HEX, 8)}.js\" integrity=\"sha384-{b64(rbytes(48))}\"></script>\n"
                     f"</head>\n<body><div id=\"root\" data-build=\"{rs(HEX, 40)}\"></div></body>\n</html>\n"), "html-nonce-sri"


@neg("random-non-secret", 1)
def n_webpack_chunks():
    m = ",".join(f"{R.randint(10, 9999)}:\"{rs(HEX, 20)}\"" for _ in range(25))
    return "runtime.js", f"(()=>{{\"use strict\";var e={{}};e.u=r=>\"static/js/\"+r+\".\"+{{{m}}}[r]+\".chunk.js\";}})();\n", "webpack-runtime"


@neg("random-non-secret", 1)
def n_crypto_vectors():
    style = R.randrange(3)
    if style == 0:
        vecs = "\n".join(f"    (\"{rs(HEX, 32)}\", \"{rs(HEX, 64)}\")," for _ in range(5))
        return "test_sha256.py", f"import hashlib\n\n# NIST SHAVS short message vectors (msg, digest)\nVECTORS = [\n{vecs}\n]\n\n\ndef test_vectors():\n    for msg, digest in VECTORS:\n        assert hashlib.sha256(bytes.fromhex(msg)).hexdigest() == digest\n", "sha-vectors"
    if style == 1:
        return "base64_test.go", ("package codec\n\nvar cases = []struct{ in, out string }{\n" +
                                  "".join(f"\t{{\"{rs(LOWER + ' ', R.randint(10, 40))}\", \"{b64(rbytes(R.randint(20, 60)))}\"}},\n" for _ in range(5)) +
                                  "}\n"), "b64-cases"
    return "aes_test.rs", ("#[test]\nfn gcm_vector() {\n" +
                           f"    let plaintext = hex!(\"{rs(HEX, 64)}\");\n    let ciphertext = hex!(\"{rs(HEX, 64)}\");\n"
                           f"    let tag = hex!(\"{rs(HEX, 32)}\");\n    let nonce = hex!(\"{rs(HEX, 24)}\");\n"
                           f"    let expected = base64::decode(\"{b64(rbytes(48))}\").unwrap();\n    check(plaintext, ciphertext, tag, nonce, expected);\n}}\n"), "aes-vectors"


@neg("random-non-secret", 1)
def n_lfs_pointer():
    return pick(["model.bin", "x.png", "dataset.parquet"]), f"version https://git-lfs.github.com/spec/v1\noid sha256:{rs(HEX, 64)}\nsize {R.randint(1000, 10**9)}\n", "git-lfs"


@neg("random-non-secret", 1)
def n_k8s_status():
    return ".yaml", (f"apiVersion: v1\nkind: Pod\nmetadata:\n  name: api-{rs(LOWER + string.digits, 10)}-{rs(LOWER + string.digits, 5)}\n"
                     f"  uid: {ruuid()}\n  resourceVersion: \"{R.randint(10**6, 10**8)}\"\n  annotations:\n"
                     f"    checksum/config: {rs(HEX, 64)}\n    kubectl.kubernetes.io/restartedAt: \"2024-05-01T12:00:00Z\"\n"
                     f"status:\n  containerStatuses:\n    - imageID: docker.io/acme/api@sha256:{rs(HEX, 64)}\n      containerID: containerd://{rs(HEX, 64)}\n"), "k8s-status"


@neg("random-non-secret", 1)
def n_log():
    lines = []
    for _ in range(12):
        lines.append(f"2024-06-0{R.randint(1, 9)}T1{R.randint(0, 9)}:{R.randint(10, 59)}:{R.randint(10, 59)}Z INFO request_id={ruuid()} "
                     f"trace={rs(HEX, 32)} span={rs(HEX, 16)} etag=\"{rs(HEX, 32)}\" status=200 path=/api/v1/token/refresh")
    return "x.log", "\n".join(lines) + "\n", "log"


@neg("random-non-secret", 1)
def n_ipynb():
    nb = {"cells": [{"cell_type": "code", "execution_count": 3, "metadata": {}, "source": ["plt.plot(x, y)\n"],
                     "outputs": [{"output_type": "display_data", "data": {"image/png": b64(b"\x89PNG" + rbytes(1200)), "text/plain": ["<Figure>"]}, "metadata": {}}]}],
          "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}}, "nbformat": 4, "nbformat_minor": 5}
    return "x.ipynb", json.dumps(nb, indent=1) + "\n", "notebook"


@neg("random-non-secret", 1)
def n_svg():
    path = " ".join(f"M{R.randint(0, 99)}.{R.randint(0, 99)} {R.randint(0, 99)}.{R.randint(0, 99)}c{R.randint(0, 9)}.{R.randint(0, 99)}-{R.randint(0, 9)}.{R.randint(0, 99)}" for _ in range(40))
    return "x.svg", f"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 100 100\"><path id=\"{rs(ALNUM, 22)}\" d=\"{path}\"/></svg>\n", "svg"


@neg("random-non-secret", 1)
def n_protobuf_desc():
    esc = "".join("\\x%02x" % R.getrandbits(8) for _ in range(120))
    return "x_pb2.py", ("# Generated by the protocol buffer compiler.  DO NOT EDIT!\nfrom google.protobuf import descriptor_pool\n\n"
                        "DESCRIPTOR = descriptor_pool.Default().AddSerializedFile(b'\\n\\x0b" + rs(LOWER, 8) + ".proto\\x12\\x04auth\"" + esc + "')\n"), "protobuf"


@neg("random-non-secret", 1)
def n_git_objects():
    lines = [f"{rs(HEX, 40)} refs/heads/{pick(['main', 'release/1.2', 'feature/token-refresh'])}" for _ in range(6)]
    return "packed-refs", "# pack-refs with: peeled fully-peeled sorted\n" + "\n".join(lines) + "\n", "packed-refs"


for _fn in (n_asset_manifest, n_html_nonce, n_webpack_chunks, n_crypto_vectors, n_lfs_pointer, n_k8s_status, n_log,
            n_ipynb, n_svg, n_protobuf_desc, n_git_objects):
    for _ in range(2):
        NEG.append(("random-non-secret", _fn))


@neg("encrypted", 10)
def n_encrypted():
    style = R.randrange(4)
    if style == 0:
        blob = rs(HEX, 80 * 6)
        lines = "\n".join("          " + blob[i:i + 80] for i in range(0, len(blob), 80))
        return "vault.yml", f"db_user: app\ndb_password: !vault |\n          $ANSIBLE_VAULT;1.1;AES256\n{lines}\n", "ansible-vault"
    if style == 1:
        enc = lambda n: f"ENC[AES256_GCM,data:{b64(rbytes(n))},iv:{b64(rbytes(32))},tag:{b64(rbytes(16))},type:str]"
        return "secrets.enc.yaml", (f"db_password: {enc(18)}\napi_token: {enc(30)}\nsops:\n  age:\n    - recipient: {age_pub()}\n"
                                    f"      enc: |\n        -----BEGIN AGE ENCRYPTED FILE-----\n        {b64(rbytes(48))}\n        -----END AGE ENCRYPTED FILE-----\n"
                                    f"  lastmodified: \"2024-04-02T09:11:00Z\"\n  mac: {enc(32)}\n  version: 3.8.1\n"), "sops"
    if style == 2:
        return "sealed.yaml", ("apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: db\nspec:\n  encryptedData:\n"
                               f"    password: {b64(rbytes(300))}\n    api-key: {b64(rbytes(300))}\n"), "sealed-secret"
    return "x.gpg.asc", ("-----BEGIN PGP MESSAGE-----\n\n" + fake_pem_body(500, b"\x85\x01\x0c\x03") + "\n=" + b64(rbytes(3)) + "\n-----END PGP MESSAGE-----\n"), "pgp-message"


@neg("password-hash", 6)
def n_pw_hash():
    salt = rs(ALNUM + "./", 22)
    bc = f"$2b$12${salt}{rs(ALNUM + './', 31)}"
    ar = f"$argon2id$v=19$m=65536,t=3,p=4${b64(rbytes(16)).rstrip('=')}${b64(rbytes(32)).rstrip('=')}"
    style = R.randrange(3)
    if style == 0:
        return "seed.sql", f"INSERT INTO users (email, password_hash) VALUES\n  ('admin@acme.io', '{bc}'),\n  ('ops@acme.io', '{ar}');\n", "sql-seed"
    if style == 1:
        return "fixtures.json", json.dumps([{"model": "auth.user", "pk": 1, "fields": {"username": "admin",
                                             "password": f"pbkdf2_sha256$600000${rs(ALNUM, 22)}${b64(rbytes(32))}"}}], indent=2) + "\n", "django-fixture"
    return "x.yml", f"users:\n  - name: admin\n    password_hash: \"{bc}\"\n  - name: viewer\n    password_hash: \"{ar}\"\n", "yaml-users"


@neg("masked", 10)
def n_masked():
    style = R.randrange(4)
    if style == 0:
        return "x.log", (f"INFO  using token ghp_****{rs(ALNUM, 4)}\nDEBUG Authorization: Bearer ***\n"
                         f"INFO  AWS key AKIA************{rs(UPPER, 4)}\nWARN  stripe key sk_live_...{rs(ALNUM, 4)} is about to expire\n"), "log-masked"
    if style == 1:
        return ".md", (f"The key is shown once: `sk-proj-...{rs(ALNUM, 4)}`. Copy it somewhere safe.\n\n"
                       f"Rotated `ghp_…{rs(ALNUM, 4)}` on 2024-03-01.\n"), "md-masked"
    if style == 2:
        return ".json", json.dumps({"id": "key_" + rs(ALNUM, 16), "name": "ci", "redacted_value": "sk-ant-api03-" + "*" * 20 + rs(ALNUM, 4),
                                    "last_used_at": "2024-05-02T10:00:00Z", "password": "********"}, indent=2) + "\n", "api-response"
    return ".txt", (f"password: [REDACTED]\napi_key: <redacted>\ntoken: ****************\nsecret: •••••••••\n"), "txt-masked"


@neg("scanner-rules", 6)
def n_rules():
    style = R.randrange(3)
    if style == 0:
        return ".toml", ('[[rules]]\nid = "github-pat"\nregex = \'\'\'ghp_[0-9a-zA-Z]{36}\'\'\'\nkeywords = ["ghp_"]\n\n'
                         '[[rules]]\nid = "aws-access-key"\nregex = \'\'\'(AKIA|ASIA)[A-Z2-7]{16}\'\'\'\n\n'
                         '[[rules]]\nid = "private-key"\nregex = \'\'\'-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY-----\'\'\'\n'), "gitleaks-toml"
    if style == 1:
        return ".py", ('import re\n\nPATTERNS = {\n    "slack": re.compile(r"xox[baprs]-[0-9A-Za-z-]{10,48}"),\n'
                       '    "stripe": re.compile(r"(sk|rk)_live_[0-9a-zA-Z]{24,99}"),\n    "openai": re.compile(r"sk-(proj-)?[A-Za-z0-9_-]{20,}T3BlbkFJ[A-Za-z0-9_-]{20,}"),\n'
                       '    "jwt": re.compile(r"eyJ[A-Za-z0-9_-]+\\.eyJ[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+"),\n}\n'), "py-regex"
    return ".yml", ("patterns:\n  - name: Google API key\n    regex: 'AIza[0-9A-Za-z\\-_]{35}'\n  - name: SendGrid\n    regex: 'SG\\.[\\w-]{22}\\.[\\w-]{43}'\n"
                    "  - name: Generic password\n    regex: '(?i)password\\s*[:=]\\s*[\"\\']?[^\\s\"\\']{8,}'\n"), "yaml-regex"


@neg("k8s-placeholder", 4)
def n_k8s_placeholder():
    style = R.randrange(3)
    if style == 0:
        data = "data:\n  password: Y2hhbmdlbWU=\n  username: YWRtaW4=\n"  # changeme / admin
        v = "b64-changeme"
    elif style == 1:
        data = "stringData:\n  password: \"\"\n  api-key: \"<set-me>\"\n"
        v = "empty"
    else:
        data = "data:\n  password: {{ .Values.db.password | b64enc | quote }}\n  token: {{ required \"token\" .Values.token | b64enc }}\n"
        v = "helm-template"
    return "secret.yaml", f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\ntype: Opaque\n{data}", v


@neg("public-identifier", 22)
def n_public_ident():
    style = R.randrange(9)
    if style == 0:
        return ".js", f"// publishable key: safe to ship to the browser\nconst stripe = Stripe('pk_live_{rs(ALNUM, 99)}');\n", "stripe-pk_live"
    if style == 1:
        dsn = f"https://{rs(HEX, 32)}@o{R.randint(10**5, 10**6)}.ingest.sentry.io/{R.randint(10**6, 10**7)}"
        return ".ts", f"import * as Sentry from '@sentry/browser';\n\nSentry.init({{\n  dsn: '{dsn}',\n  tracesSampleRate: 0.1,\n}});\n", "sentry-dsn"
    if style == 2:
        tok = "pk.eyJ1IjoiYWNtZS1tYXBzIiwiYSI6Im" + rs(B64URL, 20) + "." + rs(B64URL, 22)
        return ".js", f"mapboxgl.accessToken = '{tok}'; // public token, URL-restricted\n", "mapbox-pk"
    if style == 3:
        return ".html", f"<div class=\"g-recaptcha\" data-sitekey=\"6L{rs(B64URL, 38)}\"></div>\n<script src=\"https://www.google.com/recaptcha/api.js\" async defer></script>\n", "recaptcha-sitekey"
    if style == 4:
        cid = f"{R.randint(10**11, 10**12)}-{rs(LOWER + string.digits, 32)}.apps.googleusercontent.com"
        return ".json", json.dumps({"web": {"client_id": cid, "project_id": "acme-web", "auth_uri": "https://accounts.google.com/o/oauth2/auth",
                                            "redirect_uris": ["https://acme.io/oauth/callback"]}}, indent=2) + "\n", "google-client-id"
    if style == 5:
        acct = str(R.randint(10**11, 10**12 - 1))
        return ".tf", (f"data \"aws_iam_policy_document\" \"assume\" {{\n  statement {{\n    principals {{\n      type        = \"AWS\"\n"
                       f"      identifiers = [\"arn:aws:iam::{acct}:role/deploy\"]\n    }}\n  }}\n}}\n\nlocals {{\n  account_id = \"{acct}\"\n"
                       f"  kms_key_id = \"arn:aws:kms:us-east-1:{acct}:key/{ruuid()}\"\n}}\n"), "aws-arns"
    if style == 6:
        return ".py", (f"PRICE_IDS = {{\n    \"pro\": \"price_1{rs(ALNUM, 23)}\",\n    \"team\": \"price_1{rs(ALNUM, 23)}\",\n}}\n"
                       f"TEST_CUSTOMER = \"cus_{rs(ALNUM, 14)}\"\nPRODUCT = \"prod_{rs(ALNUM, 14)}\"\n"), "stripe-ids"
    if style == 7:
        return ".env.example", (f"NEXT_PUBLIC_ALGOLIA_APP_ID={rs(UPPER + string.digits, 10)}\nNEXT_PUBLIC_POSTHOG_HOST=https://eu.posthog.com\n"
                                f"NEXT_PUBLIC_SUPABASE_URL=https://{rs(LOWER, 20)}.supabase.co\nAZURE_TENANT_ID={ruuid()}\nAZURE_CLIENT_ID={ruuid()}\n"), "public-env"
    return ".yml", (f"firebase:\n  projectId: acme-web-{R.randint(1000, 9999)}\n  messagingSenderId: \"{R.randint(10**11, 10**12)}\"\n"
                    f"  appId: \"1:{R.randint(10**11, 10**12)}:web:{rs(HEX, 22)}\"\n  measurementId: G-{rs(UPPER + string.digits, 10)}\n"), "firebase-ids"


PASS_THROUGH = [
    ("py", "def make_client(api_key: str, token: str | None = None) -> Client:\n    return Client(api_key=api_key, token=token, password=self.password)\n"),
    ("py", "client = OpenAI(api_key=settings.openai_api_key)\nstripe.api_key = config.STRIPE_SECRET_KEY\nsession = boto3.Session(aws_secret_access_key=creds.secret_key)\n"),
    ("py", "conn = psycopg2.connect(host=host, user=user, password=password, dbname=db)\nredis.Redis(password=cfg['redis_password'])\n"),
    ("js", "const client = new Client({ apiKey: apiKey, token: this.token, password: opts.password });\nconst secret = config.webhookSecret;\n"),
    ("js", "export async function login({ email, password }) {\n  const { data } = await api.post('/login', { email, password });\n  localStorage.setItem('token', data.token);\n}\n"),
    ("go", "package db\n\nfunc dsn(c Config) string {\n\treturn fmt.Sprintf(\"postgres://%s:%s@%s/%s\", c.User, c.Password, c.Host, c.Name)\n}\n"),
    ("yml", "database:\n  password: ${DB_PASSWORD:-}\n  user: app\nsmtp:\n  password: \"{{ smtp_password }}\"\n"),
    ("rb", "Stripe.api_key = Rails.application.credentials.dig(:stripe, :secret_key)\nclient = Octokit::Client.new(access_token: ENV.fetch('GITHUB_TOKEN'))\n"),
    ("sh", "docker login -u \"$DOCKER_USER\" -p \"$DOCKER_PASSWORD\" registry.acme.io\ncurl -u \"admin:${ADMIN_PASSWORD}\" http://localhost:8080/api\n"),
    ("cs", "var client = new SecretClient(new Uri(vaultUri), new DefaultAzureCredential());\nvar password = client.GetSecret(\"db-password\").Value.Value;\n"),
    ("java", "String url = String.format(\"jdbc:postgresql://%s/%s?user=%s&password=%s\", host, db, user, password);\n"),
    ("py", "DATABASE_URL = f\"postgresql://{DB_USER}:{DB_PASSWORD}@{DB_HOST}:5432/{DB_NAME}\"\nREDIS_URL = \"redis://:%s@%s:6379/0\" % (redis_password, redis_host)\n"),
    ("sh", "export DATABASE_URL=\"postgres://${PGUSER}:${PGPASSWORD}@${PGHOST}:5432/${PGDATABASE}\"\ngit clone https://${GIT_USER}:${GIT_TOKEN}@github.com/acme/infra.git\n"),
    ("md", "Connect with `psql postgres://user:password@localhost:5432/mydb` (replace user and password).\n\nOr `mongodb://<username>:<password>@cluster0.mongodb.net/test`.\n"),
]


@neg("pass-through", 28)
def n_pass_through():
    t, txt = pick(PASS_THROUGH)
    name = {"py": ".py", "js": ".js", "go": ".go", "yml": ".yml", "rb": ".rb", "sh": ".sh", "cs": ".cs", "java": ".java", "md": ".md"}[t]
    return name, txt, t


@neg("git-sha", 6)
def n_sha_pins():
    style = R.randrange(3)
    if style == 0:
        return ".yml", ("name: ci\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n"
                        f"      - uses: actions/checkout@{rs(HEX, 40)} # v4.1.1\n      - uses: actions/setup-node@{rs(HEX, 40)} # v4\n"
                        f"      - uses: docker/login-action@{rs(HEX, 40)}\n        with:\n          password: ${{{{ secrets.GITHUB_TOKEN }}}}\n"), "actions-pins"
    if style == 1:
        return ".pre-commit-config.yaml", ("repos:\n" + "".join(
            f"  - repo: https://github.com/{r}\n    rev: {rs(HEX, 40)}  # frozen: v{R.randint(1, 9)}.{R.randint(0, 9)}.0\n    hooks:\n      - id: {h}\n"
            for r, h in [("psf/black", "black"), ("gitleaks/gitleaks", "gitleaks"), ("pre-commit/pre-commit-hooks", "detect-private-key")])), "pre-commit"
    return "go.mod", ("module github.com/acme/api\n\ngo 1.22\n\nrequire (\n" + "".join(
        f"\tgithub.com/acme/{m} v0.0.0-2024{R.randint(10, 12)}{R.randint(10, 28)}{R.randint(100000, 235959)}-{rs(HEX, 12)}\n" for m in ["auth", "tokens", "secrets"]) + ")\n"), "go-pseudo-versions"


@neg("config-without-secret", 10)
def n_config_no_secret():
    style = R.randrange(5)
    if style == 0:
        return "config.json", json.dumps({"auths": {"ghcr.io": {}, "https://index.docker.io/v1/": {}}, "credsStore": pick(["desktop", "osxkeychain", "ecr-login"])}, indent=1) + "\n", "docker-credsStore"
    if style == 1:
        return ".npmrc", "@acme:registry=https://npm.pkg.github.com\n//npm.pkg.github.com/:_authToken=${NODE_AUTH_TOKEN}\n//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n", "npmrc-envref"
    if style == 2:
        return ".pypirc", "[distutils]\nindex-servers = pypi\n\n[pypi]\nusername = __token__\n# password comes from TWINE_PASSWORD\n", "pypirc-no-pw"
    if style == 3:
        return ".gitconfig", ("[user]\n\tname = Jane Doe\n\temail = jane@acme.io\n\tsigningkey = " + rs("0123456789ABCDEF", 16) +
                              "\n[credential]\n\thelper = osxkeychain\n[url \"git@github.com:\"]\n\tinsteadOf = https://github.com/\n"), "gitconfig"
    return "ssh_config", ("Host bastion\n  HostName 203.0.113.10\n  User ops\n  IdentityFile ~/.ssh/id_ed25519\n  IdentitiesOnly yes\n"
                          "Host *.internal\n  ProxyJump bastion\n"), "ssh-config"


@neg("pem-placeholder", 8)
def n_pem_placeholder():
    style = R.randrange(4)
    if style == 0:
        return ".md", "Your key file should look like this:\n\n```\n-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----\n```\n", "md-dots"
    if style == 1:
        d = {"type": "service_account", "project_id": "<PROJECT_ID>", "private_key_id": "<KEY_ID>",
             "private_key": "-----BEGIN PRIVATE KEY-----\n<YOUR_PRIVATE_KEY>\n-----END PRIVATE KEY-----\n",
             "client_email": "<NAME>@<PROJECT_ID>.iam.gserviceaccount.com", "client_id": "<CLIENT_ID>"}
        return "service-account.example.json", json.dumps(d, indent=2) + "\n", "gcp-template"
    if style == 2:
        return ".py", ('def is_private_key(text: str) -> bool:\n    return text.lstrip().startswith("-----BEGIN") and "PRIVATE KEY-----" in text\n\n\n'
                       'HEADER = "-----BEGIN OPENSSH PRIVATE KEY-----"\nFOOTER = "-----END OPENSSH PRIVATE KEY-----"\n'), "detector-code"
    return ".yml", "tls:\n  key: |\n    -----BEGIN EC PRIVATE KEY-----\n    REPLACE_WITH_YOUR_KEY\n    -----END EC PRIVATE KEY-----\n", "yaml-replace"


def write_case(outdir, label, idx, name, text, crlf=False):
    """name ".py" -> p0001.py; "x.env" -> p0001.env; anything else ("Dockerfile",
    ".env", "package-lock.json") -> p0001/<name>."""
    sub = "positive" if label == "positive" else "negative"
    cid = ("p" if label == "positive" else "n") + f"{idx:04d}"
    if name.startswith(".") and name.count(".") == 1 and name[1:] in EXT_ONLY:
        rel = f"{sub}/{cid}{name}"
    elif name.startswith("x."):
        rel = f"{sub}/{cid}{name[1:]}"
    else:
        rel = f"{sub}/{cid}/{name}"
    path = os.path.join(outdir, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if crlf:
        text = text.replace("\r\n", "\n").replace("\n", "\r\n")
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)
    return rel


EXT_ONLY = {"py", "js", "ts", "go", "java", "rb", "php", "cs", "rs", "sh", "yml", "yaml", "json", "toml",
            "ini", "cfg", "conf", "properties", "xml", "tf", "md", "txt", "pem", "key", "crt", "asc",
            "sql", "html", "css", "map", "csv", "ipynb", "gradle", "kts", "swift", "kt", "scala", "tfvars",
            "hcl", "lock", "ppk", "c", "h", "cpp", "vue", "jsx", "tsx", "svg", "log", "sha1"}


def main():
    global R
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("outdir")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--variants", type=int, default=VARIANTS_PER_KIND, help="positive files per kind")
    ap.add_argument("--negatives", type=int, default=400, help="number of negative files")
    args = ap.parse_args()
    R = random.Random(args.seed)
    out = args.outdir
    for sub in ("positive", "negative"):
        shutil.rmtree(os.path.join(out, sub), ignore_errors=True)
    os.makedirs(out, exist_ok=True)
    labels = []
    idx = 0
    for kind, fn in KINDS.items():
        types = list(ALL_TYPES)
        R.shuffle(types)
        for i in range(VARIANTS.get(kind, args.variants) if args.variants == VARIANTS_PER_KIND else args.variants):
            res = fn(i)
            pairs, allowed, variant = res[0], res[1], res[2]
            if callable(allowed):  # special kind: builds the whole file itself
                name, text, ftype = allowed()
            else:
                pool = allowed or types
                t = pool[i % len(pool)]
                name, text = EMBEDDERS[t](pairs)
                ftype = t
            idx += 1
            rel = write_case(out, "positive", idx, name, text, crlf=chance(0.12))
            labels.append({"file": rel, "label": "positive", "kind": kind, "variant": f"{variant}/{ftype}"})
    # negatives: each generator gets a share proportional to its weight
    weights = {}
    for k, fn in NEG:
        weights[(k, fn)] = weights.get((k, fn), 0) + 1
    total = sum(weights.values())
    order = []
    for key, w in weights.items():
        order += [key] * max(1, int(w * args.negatives / total))
    while len(order) < args.negatives:
        order.append(pick(NEG))
    R.shuffle(order)
    nidx = 0
    for k, fn in order[:args.negatives]:
        name, text, variant = fn()
        nidx += 1
        rel = write_case(out, "negative", nidx, name, text, crlf=chance(0.1))
        labels.append({"file": rel, "label": "negative", "kind": k, "variant": variant})
    with open(os.path.join(out, "labels.jsonl"), "w") as f:
        for lab in labels:
            f.write(json.dumps(lab) + "\n")
    npos = sum(1 for x in labels if x["label"] == "positive")
    print(f"wrote {npos} positive and {len(labels) - npos} negative files to {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
