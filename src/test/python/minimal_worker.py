#!/usr/bin/env python3
"""A second, minimal worker for the Unlearning Operator, written only from docs/worker-contract.md.

It proves that the contract is enough to build a worker without this project's Java code: ForeignWorkerIT runs it
as the image of a ShardedModel, and the operator drives it through training, publishing, an exact unlearning run,
the gate, the certificate, the serving rollout and the erasure; the stock `verify` then checks its store.

Deliberately small, so that everything it does can be read in one sitting:
- data: `csv` datasets (`id,subject,label,f0..fn`) with a `testUri`, on `pvc://` claims; stores on `pvc://` only;
- model: `architecture.type: mlp` with `hidden: []`, i.e. softmax regression, trained by minibatch SGD in pure
  Python, one checkpoint per SISA slice; ensembles average the shards' probabilities (`MeanSoftmax`);
- placement `ByRecord`; methods `EXACT` only (retrain from the last clean slice checkpoint).
Anything else is refused with exit 2 and a message that names it: a worker that cannot do what it was asked must
not pretend. Standard library and PyYAML only (Debian's python3-yaml).
"""

import datetime
import hashlib
import hmac
import http.server
import json
import math
import os
import random
import sys
import time

import yaml

OK, UNEXPECTED, INVALID_INPUT, DATA, STORE, GATE_FAILED = 0, 1, 2, 3, 4, 5
VERSION_HEADER = "Unlearning-Model-Version"


class Refused(Exception):
    """Ends the role with an exit code from the contract (section 7)."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


# ---------------------------------------------------------------------------------------------- arguments, files


def parse_args(argv):
    role, options = argv[0], {}
    i = 1
    while i < len(argv):
        name = argv[i]
        if not name.startswith("--") or i + 1 >= len(argv):
            raise Refused(INVALID_INPUT, "cannot read argument " + name)
        options.setdefault(name[2:], []).append(argv[i + 1])
        i += 2
    return role, options


def one(options, name):
    values = options.get(name)
    if not values or len(values) != 1:
        raise Refused(INVALID_INPUT, "--%s must be given once" % name)
    return values[0]


def read_yaml(path):
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def pvc_path(uri):
    if not uri or not uri.startswith("pvc://"):
        raise Refused(INVALID_INPUT, "this minimal worker reads pvc:// URIs only, not " + str(uri))
    return os.path.join(os.environ["UNLEARNING_PVC_ROOT"], uri[len("pvc://"):].strip("/"))


LIMIT = 4096


def verify_pinned_input():
    """Section 2: the run's files must be the ones the operator pinned in the Job, else nothing runs or reports."""
    directory, pinned = os.environ.get("UNLEARNING_INPUT_REQUESTS_DIR"), os.environ.get("UNLEARNING_INPUT_REQUESTS_SHA256")
    if directory is None and pinned is None:
        return
    if directory is None or pinned is None:
        raise Refused(INVALID_INPUT, "the Job pins its input files by directory and digest, and only one is set")
    sha = hashlib.sha256()
    for name in sorted(n for n in os.listdir(directory) if not n.startswith("..")):
        path = os.path.join(directory, name)
        if os.path.isfile(path):
            with open(path, "rb") as f:
                content = f.read()
            encoded = name.encode("utf-8")
            sha.update(b"%d:" % len(encoded) + encoded + b"%d:" % len(content) + content)
    if sha.hexdigest() != pinned:
        raise Refused(INVALID_INPUT, "the run's input files in %s are not the ones the operator wrote" % directory)


def write_result(result):
    """Section 6: one JSON object of at most 4096 bytes; list and map fields go, largest first, until it fits."""
    verify_pinned_input()
    text = json.dumps(result, separators=(",", ":"), allow_nan=False)
    while len(text.encode("utf-8")) > LIMIT:
        droppable = [k for k, v in result.items() if isinstance(v, (list, dict))]
        if not droppable:
            raise Refused(UNEXPECTED, "the result does not fit the termination message")
        largest = max(droppable, key=lambda k: len(json.dumps(result[k])))
        result = {k: v for k, v in result.items() if k != largest}
        result["truncated"] = True
        text = json.dumps(result, separators=(",", ":"), allow_nan=False)
    with open(os.environ["UNLEARNING_TERMINATION_LOG"], "w", encoding="utf-8") as f:
        f.write(text)


def now():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


# ------------------------------------------------------------------------------------------------------ keys


class IdKey:
    """Section 5: keyed digests are HMAC-SHA256 of record:<id> / subject:<id>; the key id names the key."""

    def __init__(self):
        path = os.environ.get("UNLEARNING_ID_KEY_FILE")
        if not path or not os.path.exists(path):
            raise Refused(INVALID_INPUT, "no id-digest key is mounted (UNLEARNING_ID_KEY_FILE)")
        with open(path, encoding="utf-8") as f:
            self.key = f.read().strip().encode("utf-8")
        if len(self.key) < 16:
            raise Refused(INVALID_INPUT, "the id-digest key must have 16 or more bytes")
        self.id = self.hmac("unlearning.dev/id-digest-key")[:16]

    def hmac(self, text):
        return hmac.new(self.key, text.encode("utf-8"), hashlib.sha256).hexdigest()

    def record(self, record_id):
        return self.hmac("record:" + record_id)

    def subject(self, subject):
        return self.hmac("subject:" + subject)


# ----------------------------------------------------------------------------------------------------- store


class Store:
    """The model's keys under models/<namespace>/<model>/ on a file store (section 5)."""

    def __init__(self, model):
        meta, spec = model["metadata"], model["spec"]
        self.name = meta["name"]
        self.base = pvc_path(spec["storage"]["uri"])
        self.root = "models/%s/%s/" % (meta["namespace"], self.name)

    def path(self, key):
        return os.path.join(self.base, self.root + key)

    def get(self, key):
        try:
            with open(self.path(key), "rb") as f:
                return f.read()
        except FileNotFoundError:
            return None

    def put(self, key, data):
        target = self.path(key)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        temp = "%s.tmp-%d" % (target, os.getpid())
        with open(temp, "wb") as f:
            f.write(data)
        os.replace(temp, target)  # atomic: a reader sees the old bytes or the new, never half

    def put_if_absent(self, key, data):
        target = self.path(key)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        temp = "%s.tmp-%d" % (target, os.getpid())
        with open(temp, "wb") as f:
            f.write(data)
        try:
            os.link(temp, target)  # exclusive create: a hard link fails if the name exists
            return True
        except FileExistsError:
            return False
        finally:
            os.remove(temp)

    def list(self, prefix):
        top = self.path(prefix)
        found = []
        for directory, _, files in os.walk(top):
            for name in files:
                if ".tmp-" not in name:
                    found.append(os.path.relpath(os.path.join(directory, name), self.path("")))
        return sorted(found)

    def temporary_files(self):
        found = []
        for directory, _, files in os.walk(self.path("")):
            found += [os.path.join(directory, name) for name in files if ".tmp-" in name]
        return sorted(found)

    def delete(self, key):
        try:
            os.remove(self.path(key))
        except FileNotFoundError:
            pass

    def put_blob(self, data):
        digest = hashlib.sha256(data).hexdigest()
        if self.get("blobs/" + digest) is None:
            self.put("blobs/" + digest, data)
        return digest

    def blob(self, digest):
        data = self.get("blobs/" + digest)
        if data is None or hashlib.sha256(data).hexdigest() != digest:
            raise Refused(STORE, "blob %s of model %s is missing or corrupt" % (digest, self.name))
        return data

    def versions(self):
        return sorted(int(k[len("versions/"):-len(".json")]) for k in self.list("versions/") if k.endswith(".json"))

    def version(self, n, key=None):
        data = self.get("versions/%d.json" % n)
        if data is None:
            raise Refused(STORE, "model %s has no version %d" % (self.name, n))
        manifest = json.loads(data)
        if key is not None and manifest["tombstones"] and manifest["tombstoneKey"] != key.id:
            raise Refused(STORE, "version %d has tombstones of id-digest key %s, this pod holds %s"
                          % (n, manifest["tombstoneKey"], key.id))
        return manifest

    def latest(self, key=None):
        versions = self.versions()
        return self.version(versions[-1], key) if versions else None

    def publish(self, manifest):
        newest = self.latest()
        if newest is not None and not set(newest["tombstones"]) <= set(manifest["tombstones"]):
            raise Refused(INVALID_INPUT, "version %d would bring back forgotten records" % manifest["version"])
        for digest in referenced_blobs(manifest):
            if self.get("blobs/" + digest) is None:
                raise Refused(STORE, "version %d references missing blob %s" % (manifest["version"], digest))
        if not self.put_if_absent("versions/%d.json" % manifest["version"], to_json(manifest)):
            raise Refused(STORE, "version %d of model %s already exists" % (manifest["version"], self.name))

    def stage(self, run, name, value):
        self.put("staging/%s/%s" % (run, name), to_json(value))

    def staged(self, run, name):
        data = self.get("staging/%s/%s" % (run, name))
        return None if data is None else json.loads(data)


def to_json(value):
    return json.dumps(value, indent=2).encode("utf-8")


def referenced_blobs(manifest):
    digests = set()
    for shard in manifest["shards"]:
        digests.add(shard["modelDigest"])
        for s in shard["slices"]:
            digests.update([s["membershipDigest"], s["checkpointDigest"]])
    return digests


def ensemble_digest(manifest):
    return hashlib.sha256(",".join(s["modelDigest"] for s in manifest["shards"]).encode("utf-8")).hexdigest()


def tombstone_digest(tombstones):
    return hashlib.sha256("\n".join(sorted(set(tombstones))).encode("utf-8")).hexdigest()


def membership(store, slice_entry):
    return store.blob(slice_entry["membershipDigest"]).decode("utf-8").splitlines()


# ------------------------------------------------------------------------------------------ canonical JSON, seals


def java_double(x):
    """Double.toString, as the stock verifier re-serialises the evidence before it checks the seal."""
    if x == int(x) and abs(x) < 1e7:
        return "%d.0" % int(x) if x != 0 or math.copysign(1, x) > 0 else "-0.0"
    if 1e-3 <= abs(x) < 1e7:
        return repr(x)
    mantissa, exponent = repr(x).split("e")
    if "." not in mantissa:
        mantissa += ".0"
    return "%sE%d" % (mantissa, int(exponent))


def canonical(value):
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return java_double(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ",".join(canonical(v) for v in value) + "]"
    return "{" + ",".join(json.dumps(k, ensure_ascii=False) + ":" + canonical(value[k]) for k in sorted(value)) + "}"


def sealed(evidence, key):
    unsigned = dict(evidence, signature=None)
    return dict(evidence, signature=hmac.new(key.key, canonical(unsigned).encode("utf-8"), hashlib.sha256).hexdigest())


# ----------------------------------------------------------------------------------------------------- data


class Dataset:
    def __init__(self, path):
        try:
            with open(path, encoding="utf-8") as f:
                lines = [l.rstrip("\n") for l in f if l.strip()]
        except OSError as e:
            raise Refused(DATA, "cannot read %s: %s" % (path, e))
        if not lines or not lines[0].startswith("id,subject,label,"):
            raise Refused(DATA, path + ": header must start with id,subject,label,f0,...")
        self.ids, self.subjects, self.labels, self.features = [], [], [], []
        width = len(lines[0].split(","))
        for number, line in enumerate(lines[1:], start=2):
            cells = line.split(",")
            if len(cells) != width:
                raise Refused(DATA, "%s:%d: %d columns, header has %d" % (path, number, len(cells), width))
            self.ids.append(cells[0])
            self.subjects.append(cells[1] or None)
            self.labels.append(int(cells[2]))
            self.features.append([float(c) for c in cells[3:]])
        self.row = {record: i for i, record in enumerate(self.ids)}
        self.digest = hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


class Model:
    """What the ShardedModel asks for, refused where this worker cannot do it."""

    def __init__(self, path):
        self.resource = read_yaml(path)
        spec = self.resource["spec"]
        self.spec = spec
        architecture = spec.get("architecture") or {}
        if architecture.get("type", "mlp") != "mlp" or architecture.get("hidden"):
            raise Refused(INVALID_INPUT, "this minimal worker trains architecture.type mlp with hidden: [] only")
        dataset = spec["dataset"]
        if dataset.get("format") != "csv" or not dataset.get("testUri"):
            raise Refused(INVALID_INPUT, "this minimal worker reads dataset.format csv with a testUri only")
        sharding = spec.get("sharding") or {}
        if sharding.get("placement", "ByRecord") != "ByRecord":
            raise Refused(INVALID_INPUT, "this minimal worker places records ByRecord only")
        if sharding.get("aggregation", "MeanSoftmax") != "MeanSoftmax":
            raise Refused(INVALID_INPUT, "this minimal worker aggregates MeanSoftmax only")
        self.shards = int(sharding.get("shards", 4))
        self.slices = int(sharding.get("slices", 1))
        training = spec.get("training") or {}
        self.seed = int(training.get("seed", 42))
        self.epochs = int(training.get("epochs", 3))
        self.batch = int(training.get("batchSize", 64))
        self.rate = float(training.get("learningRate", 0.001))
        self.train_uri, self.test_uri = dataset["uri"], dataset["testUri"]

    def data(self):
        return Dataset(pvc_path(self.train_uri)), Dataset(pvc_path(self.test_uri))

    def placement(self, record_id):
        """Section 5: shard from bytes 0..7, slice from bytes 8..15 of SHA-256(<seed>:<id>)."""
        digest = hashlib.sha256(("%d:%s" % (self.seed, record_id)).encode("utf-8")).digest()
        return int.from_bytes(digest[:8], "big") % self.shards, int.from_bytes(digest[8:16], "big") % self.slices


# ---------------------------------------------------------------------------------------- softmax regression


def probabilities(weights, x):
    scores = [sum(w * v for w, v in zip(row, x)) + bias for row, bias in zip(weights["w"], weights["b"])]
    top = max(scores)
    exps = [math.exp(s - top) for s in scores]
    total = sum(exps)
    return [e / total for e in exps]


def train_slices(model, data, rows_by_slice, start_slice, start_weights, shard, classes):
    """SISA: slice j trains on slices 0..j, from slice j-1's checkpoint. Returns (checkpoint bytes, loss) per slice."""
    dim = len(data.features[0])
    weights = start_weights or {"w": [[0.0] * dim for _ in range(classes)], "b": [0.0] * classes}
    results, samples = [], 0
    for j in range(start_slice, model.slices):
        rows = [r for s in range(j + 1) for r in rows_by_slice[s]]
        shuffle = random.Random("%d:%d:%d" % (model.seed, shard, j))
        loss = float("nan")
        for _ in range(model.epochs):
            order = rows[:]
            shuffle.shuffle(order)
            total = 0.0
            for start in range(0, len(order), model.batch):
                batch = order[start:start + model.batch]
                grad_w = [[0.0] * dim for _ in range(classes)]
                grad_b = [0.0] * classes
                for r in batch:
                    p = probabilities(weights, data.features[r])
                    total -= math.log(max(p[data.labels[r]], 1e-12))
                    for c in range(classes):
                        g = p[c] - (1.0 if c == data.labels[r] else 0.0)
                        grad_b[c] += g
                        row = grad_w[c]
                        for k, v in enumerate(data.features[r]):
                            row[k] += g * v
                step = model.rate / len(batch)
                for c in range(classes):
                    weights["b"][c] -= step * grad_b[c]
                    weights["w"][c] = [w - step * g for w, g in zip(weights["w"][c], grad_w[c])]
            samples += len(rows)
            loss = total / max(1, len(rows))
        results.append((json.dumps(weights, sort_keys=True).encode("utf-8"), loss))
    return results, samples


def accuracy(weights_list, data, rows):
    if not rows:
        return None
    right = sum(1 for r in rows if argmax(ensemble(weights_list, data.features[r])) == data.labels[r])
    return right / len(rows)


def ensemble(weights_list, x):
    per_shard = [probabilities(w, x) for w in weights_list]
    return [sum(p[c] for p in per_shard) / len(per_shard) for c in range(len(per_shard[0]))]


def argmax(values):
    return max(range(len(values)), key=lambda i: (values[i], -i))


def shard_entry(store, data, shard, rows_by_slice, trained, first_slice, old_slices, version, samples, method):
    slices = list(old_slices[:first_slice])
    for offset, (checkpoint, _) in enumerate(trained):
        j = first_slice + offset
        ids = "".join(data.ids[r] + "\n" for r in rows_by_slice[j]).encode("utf-8")
        slices.append({"slice": j, "records": len(rows_by_slice[j]), "membershipDigest": store.put_blob(ids),
                       "checkpointDigest": store.put_blob(checkpoint)})
    return {"shard": shard, "records": sum(len(r) for r in rows_by_slice), "slices": slices,
            "modelDigest": slices[-1]["checkpointDigest"], "exact": True, "method": method, "trainedInVersion": version, "samplesProcessed": samples,
            "trainLoss": trained[-1][1] if trained else float("nan"), "testAccuracy": None}


# ------------------------------------------------------------------------------------------------------ roles


def train(options):
    model, key = Model(one(options, "model")), IdKey()
    if "ledger" in options:
        raise Refused(INVALID_INPUT, "this minimal worker cannot apply a dataset's forget ledger (--ledger)")
    store, run = Store(model.resource), one(options, "run")
    shard = int(os.environ["JOB_COMPLETION_INDEX"])
    data, _ = model.data()
    latest = store.latest(key)
    tombstones = set(latest["tombstones"]) if latest else set()
    rows_by_slice = [[] for _ in range(model.slices)]
    left_out = []
    for r, record in enumerate(data.ids):
        if key.record(record) in tombstones:
            left_out.append(key.record(record))
            continue
        s, j = model.placement(record)
        if s == shard:
            rows_by_slice[j].append(r)
    classes = max(data.labels) + 1
    started = time.time()
    trained, samples = train_slices(model, data, rows_by_slice, 0, None, shard, classes)
    version = (latest["version"] + 1) if latest else 1
    entry = shard_entry(store, data, shard, rows_by_slice, trained, 0, [], version, samples, "train")
    layout = {"architecture": model.spec.get("architecture"), "inputShape": [len(data.features[0])],
              "classes": classes, "shards": model.shards, "slices": model.slices, "seed": model.seed,
              "aggregation": "MeanSoftmax", "dataDigest": data.digest, "placement": "ByRecord",
              "spreadSubjects": {}}
    store.stage("train-" + run, "layout.json", layout)
    store.stage("train-" + run, "tombstones.json", sorted(left_out))
    store.stage("train-" + run, "shard-%d.json" % shard, entry)
    write_result({"model": store.name, "version": None, "run": run, "shards": [summary(entry)],
                  "wallSeconds": time.time() - started, "ensembleDigest": None, "dataDigest": data.digest,
                  "placement": "ByRecord", "spreadSubjects": {}})


def summary(entry):
    return {"shard": entry["shard"], "records": entry["records"], "samples": entry["samplesProcessed"],
            "trainLoss": entry["trainLoss"], "testAccuracy": entry["testAccuracy"], "modelDigest": entry["modelDigest"]}


def publish(options):
    model, key = Model(one(options, "model")), IdKey()
    store, run = Store(model.resource), one(options, "run")
    started = time.time()
    layout = store.staged("train-" + run, "layout.json")
    entries = [store.staged("train-" + run, "shard-%d.json" % k) for k in range(model.shards)]
    if layout is None or any(e is None for e in entries):
        raise Refused(STORE, "run %s staged no layout or not every shard" % run)
    latest = store.latest(key)
    tombstones = sorted(set(latest["tombstones"] if latest else []) | set(store.staged("train-" + run,
                                                                                        "tombstones.json") or []))
    version = (latest["version"] + 1) if latest else 1
    manifest = {"model": store.name, "version": version, "parentVersion": latest["version"] if latest else None,
                "createdAt": now(), "layout": layout, "tombstones": tombstones,
                "tombstoneKey": key.id if tombstones else None, "shards": entries, "cause": "train", "requests": []}
    store.publish(manifest)
    write_result({"model": store.name, "version": version, "run": run, "shards": [summary(e) for e in entries],
                  "wallSeconds": time.time() - started, "ensembleDigest": ensemble_digest(manifest),
                  "dataDigest": layout["dataDigest"], "placement": "ByRecord", "spreadSubjects": {}})


def forget_digests(options, key, data):
    """Request files (section 3) carry recordDigests or subjectDigests; this maps them onto the data's records."""
    records, subjects, requests = set(), set(), []
    for path in options.get("request", []):
        request = read_yaml(path)
        forget = request["spec"].get("forget") or {}
        if any(forget.get(k) for k in ("labels", "fromUri", "backdoorTrigger")):
            raise Refused(INVALID_INPUT, "this minimal worker forgets recordIds and subjects only")
        records.update(forget.get("recordDigests") or [])
        subjects.update(forget.get("subjectDigests") or [])
        requests.append(request["metadata"].get("uid") or request["metadata"]["name"])
    found = set()
    for r, record in enumerate(data.ids):
        digest = key.record(record)
        if digest in records or (data.subjects[r] and key.subject(data.subjects[r]) in subjects):
            found.add(digest)
    unknown = len(records - found)
    if not found:
        raise Refused(INVALID_INPUT, "the forget set matches no record of the data")
    return found, unknown, requests


def require_exact(options):
    if one(options, "method") != "EXACT":
        raise Refused(INVALID_INPUT, "this minimal worker unlearns with method EXACT only, not "
                      + one(options, "method"))


def unlearn(options):
    require_exact(options)
    model, key = Model(one(options, "model")), IdKey()
    store, run = Store(model.resource), one(options, "run")
    shards = [int(s) for s in one(options, "shards").split(",")]
    shard = shards[int(os.environ["JOB_COMPLETION_INDEX"])]
    base = store.version(int(one(options, "base-version")), key)
    data, _ = model.data()
    forget, _, _ = forget_digests(options, key, data)
    started = time.time()
    entry = base["shards"][shard]
    ids_by_slice = [membership(store, s) for s in entry["slices"]]
    first = next((j for j, ids in enumerate(ids_by_slice) if any(key.record(i) in forget for i in ids)), None)
    samples = 0
    if first is not None:
        # Retrain from the last checkpoint that saw none of the records: slices before `first` are kept as they are.
        rows_by_slice = [[data.row[i] for i in ids if key.record(i) not in forget] for ids in ids_by_slice]
        start = json.loads(store.blob(entry["slices"][first - 1]["checkpointDigest"])) if first > 0 else None
        trained, samples = train_slices(model, data, rows_by_slice, first, start, shard, base["layout"]["classes"])
        entry = shard_entry(store, data, shard, rows_by_slice, trained, first, entry["slices"],
                            base["version"] + 1, samples, "EXACT")
    store.stage("unlearn-" + run, "shard-%d.json" % shard, entry)
    write_result({"run": run, "shard": shard, "changed": first is not None, "samplesProcessed": samples,
                  "wallSeconds": time.time() - started})


def measure(store, manifest, data, test, forget_rows):
    """The metrics the relative gate defaults need (README, the gate), measured as LookAlikeComparison does."""
    weights = [json.loads(store.blob(s["modelDigest"])) for s in manifest["shards"]]
    test_rows = list(range(len(test.ids)))
    metrics = {"testAccuracy": accuracy(weights, test, test_rows),
               "forgetAccuracy": accuracy(weights, data, forget_rows)}
    metrics = {k: v for k, v in metrics.items() if v is not None}  # unmeasured is absent, never 0
    n = len(forget_rows)
    if n == 0:
        return metrics
    look_alike = gap_variance = auc = auc_variance = 0.0
    for label in sorted(set(data.labels[r] for r in forget_rows)):
        mine = [r for r in forget_rows if data.labels[r] == label]
        held = [r for r in test_rows if test.labels[r] == label]
        if not held:
            return metrics  # no look-alikes for this class: the relative metrics stay unmeasured and the gate fails
        weight = len(mine) / n
        p = accuracy(weights, test, held)
        look_alike += weight * p
        gap_variance += len(mine) * p * (1 - p) / (n * n) + weight * weight * p * (1 - p) / len(held)
        forget_scores = [math.log(max(ensemble(weights, data.features[r])[label], 1e-12)) for r in mine]
        held_scores = [math.log(max(ensemble(weights, test.features[r])[label], 1e-12)) for r in held]
        wins = sum((a > b) + 0.5 * (a == b) for a in forget_scores for b in held_scores)
        auc += weight * wins / (len(mine) * len(held))
        auc_variance += weight * weight * (len(mine) + len(held) + 1) / (12.0 * len(mine) * len(held))
    metrics.update({"lookAlikeAccuracy": look_alike, "forgetAccuracyGap": metrics["forgetAccuracy"] - look_alike,
                    "forgetAccuracyGapNoise": 3 * math.sqrt(gap_variance), "miaAdvantage": auc - 0.5,
                    "miaAdvantageNoise": 3 * math.sqrt(auc_variance)})
    return metrics


NOISE = {"maxForgetAccuracyGap": "forgetAccuracyGapNoise", "maxMiaAdvantage": "miaAdvantageNoise",
         "maxBackdoorAsrExcess": "backdoorAsrExcessNoise"}
METRIC = {"maxForgetAccuracy": "forgetAccuracy", "maxMiaAuc": "miaAuc", "minTestAccuracy": "testAccuracy",
          "maxBackdoorAsr": "backdoorAsr", "maxForgetAccuracyGap": "forgetAccuracyGap",
          "maxMiaAdvantage": "miaAdvantage", "maxTestAccuracyDrop": "testAccuracyDrop",
          "maxBackdoorAsrExcess": "backdoorAsrExcess", "maxForgottenClassTestAccuracy": "forgottenClassTestAccuracy"}


def gate(options, metrics):
    """The gate of section 4, failing closed: a threshold whose metric or allowance is unmeasured is a failure."""
    failures = []
    for threshold in options.get("gate", []):
        name, limit = threshold.split("=", 1)
        if name not in METRIC:
            raise Refused(INVALID_INPUT, "unknown gate threshold " + name)
        limit = float(limit)
        measured = metrics.get(METRIC[name])
        allowance = metrics.get(NOISE[name]) if name in NOISE else 0.0
        passes = measured is not None and allowance is not None and (
            measured >= limit - allowance if name == "minTestAccuracy" else measured <= limit + allowance)
        if not passes:
            failures.append({"threshold": name, "measured": measured, "limit": limit,
                             "allowance": allowance if name in NOISE else None, "baseAlreadyPassed": False})
    return failures


def finalize(options):
    require_exact(options)
    model, key = Model(one(options, "model")), IdKey()
    store, run = Store(model.resource), one(options, "run")
    planned = [int(s) for s in one(options, "shards").split(",")]
    base_version = int(one(options, "base-version"))
    if store.versions()[-1] != base_version:
        raise Refused(STORE, "version %d is no longer the newest" % base_version)
    before = store.version(base_version, key)
    data, test = model.data()
    forget, unknown, requests = forget_digests(options, key, data)
    for entry in before["shards"]:
        if entry["shard"] not in planned and any(key.record(i) in forget for s in entry["slices"]
                                                 for i in membership(store, s)):
            raise Refused(DATA, "shard %d holds a forgotten record but was not planned" % entry["shard"])
    entries, changed = list(before["shards"]), []
    for shard in planned:
        staged = store.staged("unlearn-" + run, "shard-%d.json" % shard)
        if staged is None:
            raise Refused(STORE, "run %s staged no result for shard %d" % (run, shard))
        if staged != before["shards"][shard]:
            changed.append(shard)
        entries[shard] = staged
    tombstones = sorted(set(before["tombstones"]) | forget)
    candidate = dict(before, version=base_version + 1, parentVersion=base_version, createdAt=now(),
                     tombstones=tombstones, tombstoneKey=key.id, shards=entries, cause="unlearn:EXACT",
                     requests=requests)
    forget_rows = [r for r, record in enumerate(data.ids) if key.record(record) in forget]
    metrics_before = measure(store, before, data, test, forget_rows)
    metrics_after = measure(store, candidate, data, test, forget_rows)
    metrics_after["testAccuracyDrop"] = metrics_before["testAccuracy"] - metrics_after["testAccuracy"]
    failures = gate(options, metrics_after)
    shard_accuracy = {str(k): accuracy([json.loads(store.blob(entries[k]["modelDigest"]))], test,
                                       list(range(len(test.ids)))) for k in changed}
    result = {"run": run, "published": False, "version": None, "versionBefore": base_version,
              "digestBefore": ensemble_digest(before), "digestAfter": ensemble_digest(candidate), "method": "Exact",
              "affectedShards": changed, "forgotten": len(forget), "unknown": unknown, "gateFailures": failures,
              "metricsBefore": metrics_before, "metricsAfter": metrics_after, "certificateLocation": None,
              "certificateDigest": None, "shardTestAccuracy": shard_accuracy, "tombstoneDigest": None}
    if failures:
        write_result(result)
        raise Refused(GATE_FAILED, "the gate failed: %s" % failures)
    store.publish(candidate)
    evidence = sealed({"model": store.name, "requests": requests, "method": "EXACT", "recordCount": len(forget),
                       "hashedRecordIds": sorted(forget), "affectedShards": changed, "versionBefore": base_version,
                       "versionAfter": base_version + 1, "digestBefore": result["digestBefore"],
                       "digestAfter": result["digestAfter"], "metricsBefore": metrics_before,
                       "metricsAfter": metrics_after, "issuedAt": now()}, key)
    evidence_bytes = json.dumps(evidence, indent=2, sort_keys=True).encode("utf-8")
    uid = "".join(c for c in model.resource["metadata"].get("uid") or "" if c.isalnum()).lower()[:8]
    evidence_id = run + "-" + uid if uid else run  # a re-created model's run ids start over: never overwrite
    store.put("certificates/%s.json" % evidence_id, evidence_bytes)
    result.update(published=True, version=base_version + 1, certificateLocation=store.root + "certificates/%s.json"
                  % evidence_id, certificateDigest=hashlib.sha256(evidence_bytes).hexdigest(),
                  tombstoneDigest=tombstone_digest(tombstones))
    write_result(result)


def erase(options):
    model, key = Model(one(options, "model")), IdKey()
    store = Store(model.resource)
    served, retention = int(one(options, "served-version")), int(one(options, "retention"))
    versions = store.versions()
    if served not in versions:
        raise Refused(STORE, "the served version %d is not in the store" % served)
    newest = store.version(versions[-1], key)
    tombstones = set(newest["tombstones"])
    kept, clean = {versions[-1], served}, 0
    for v in reversed(versions):
        manifest = store.version(v, key)
        holds = any(key.record(i) in tombstones for shard in manifest["shards"] for s in shard["slices"]
                    for i in membership(store, s))
        if not holds and clean < retention:
            kept.add(v)
            clean += 1
    erased = [v for v in versions if v not in kept]
    for v in erased:
        store.delete("versions/%d.json" % v)  # manifests first: an erased version is never loaded half deleted
    referenced = set()
    for v in kept:
        referenced |= referenced_blobs(store.version(v))
    swept = [k[len("blobs/"):] for k in store.list("blobs/") if k[len("blobs/"):] not in referenced]
    for digest in swept:
        store.delete("blobs/" + digest)
    staging = store.list("staging/")
    for k in staging:
        store.delete(k)
    copies = store.temporary_files()  # killed writers' leftovers hold what they were writing
    for path in copies:
        os.remove(path)
    issued = datetime.datetime.now(datetime.timezone.utc)
    evidence = sealed({"model": store.name, "servedVersion": served, "keptVersions": sorted(kept),
                       "erasedVersions": erased, "erasedBlobDigests": swept, "erasedStagingFiles": len(staging),
                       "erasedCopies": len(copies), "tombstoneCount": len(tombstones), "tombstoneSetDigest": tombstone_digest(tombstones),
                       "issuedAt": issued.strftime("%Y-%m-%dT%H:%M:%S.%fZ")}, key)
    evidence_bytes = json.dumps(evidence, indent=2, sort_keys=True).encode("utf-8")
    location = "certificates/erasure-v%d-%d.json" % (served, int(issued.timestamp() * 1000))
    store.put(location, evidence_bytes)
    write_result({"model": store.name, "servedVersion": served, "keptVersions": sorted(kept),
                  "erasedVersions": erased, "erasedBlobs": len(swept), "erasedBlobDigests": swept,
                  "erasedStagingFiles": len(staging), "erasedCopies": len(copies), "certificateLocation": store.root + location,
                  "certificateDigest": hashlib.sha256(evidence_bytes).hexdigest()})


def purge(options):
    model = Model(one(options, "model"))
    store = Store(model.resource)
    keys = store.list("")
    doomed = sorted((k for k in keys if not k.startswith("certificates/")), key=lambda k: not k.startswith("versions/"))
    for k in doomed:
        store.delete(k)
    write_result({"model": store.name, "deletedKeys": len(doomed), "keptCertificates": len(keys) - len(doomed)})


def serve(options):
    model = Model(one(options, "model"))
    store, version, port = Store(model.resource), int(one(options, "version")), int(one(options, "port"))
    manifest = store.version(version)
    if not set(store.latest()["tombstones"]) <= set(manifest["tombstones"]):
        raise Refused(INVALID_INPUT, "version %d lacks tombstones of the newest version: it is not served" % version)
    weights = [json.loads(store.blob(s["modelDigest"])) for s in manifest["shards"]]
    name = store.name

    class Handler(http.server.BaseHTTPRequestHandler):
        def reply(self, status, body):
            data = json.dumps(body).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.send_header(VERSION_HEADER, str(version))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            if self.path in ("/v2/health/live", "/v2/health/ready"):
                self.reply(200, {"live": True} if self.path.endswith("live") else {"ready": True})
            elif self.path == "/v2/models/" + name:
                self.reply(200, {"name": name, "versions": [str(version)], "platform": "minimal-python"})
            else:
                self.reply(404, {"error": "no such path " + self.path})

        def do_POST(self):
            if self.path != "/v2/models/%s/infer" % name:
                self.reply(404, {"error": "no such path " + self.path})
                return
            try:
                request = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))))
                tensor = request["inputs"][0]
                rows, width = tensor["shape"]
                flat = [float(v) for v in tensor["data"]]
                if len(flat) != rows * width or width != len(weights[0]["w"][0]):
                    raise ValueError("shape %s does not fit the model's %d features" % (tensor["shape"],
                                                                                     len(weights[0]["w"][0])))
            except (KeyError, ValueError, TypeError) as e:
                self.reply(400, {"error": str(e)})
                return
            probs = [ensemble(weights, flat[i * width:(i + 1) * width]) for i in range(rows)]
            self.reply(200, {"model_name": name, "model_version": str(version), "outputs": [
                {"name": "label", "shape": [rows], "datatype": "INT64", "data": [argmax(p) for p in probs]},
                {"name": "probabilities", "shape": [rows, len(probs[0])], "datatype": "FP32",
                 "data": [v for p in probs for v in p]}]})

        def log_message(self, fmt, *args):
            sys.stderr.write("serve: " + fmt % args + "\n")

    http.server.ThreadingHTTPServer(("0.0.0.0", port), Handler).serve_forever()


ROLES = {"train": train, "publish": publish, "unlearn": unlearn, "finalize": finalize, "erase": erase,
         "purge": purge, "serve": serve}


def main(argv):
    try:
        if not argv or argv[0] not in ROLES:
            raise Refused(INVALID_INPUT, "unknown role %s; this worker knows %s" % (argv[:1], sorted(ROLES)))
        role, options = parse_args(argv)
        verify_pinned_input()
        ROLES[role](options)
        return OK
    except Refused as e:
        sys.stderr.write("%s: %s\n" % (argv[0] if argv else "worker", e))
        return e.code
    except Exception as e:  # a bug or the machine: exit 1, which the Job retries
        sys.stderr.write("unexpected: %r\n" % e)
        raise


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
