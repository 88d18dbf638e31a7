"""Jobs and CronJobs (``pkg/apis/batch/validation``, defaults from ``pkg/apis/batch/v1``).

A Job's selector is made by the API server (``generateSelector``): it adds the
``batch.kubernetes.io/controller-uid`` label to the template and to the selector, so without
``manualSelector: true`` a selector written by hand must still select exactly the Job's own
Pods, and template labels may not claim the generated names. A CronJob's job template gets
the same Job rules under ``spec.jobTemplate.spec``, and its selector is always generated.
"""

from podstudio.engine.goyaml import atoi
from podstudio.engine.kinds import KINDS
from podstudio.engine.paths import as_dict, as_list, join, join_key
from podstudio.engine.patterns import compile_lazily
from podstudio.engine.results import FieldError
from podstudio.engine.validation.apps import MISMATCH, defaulted, non_negative
from podstudio.engine.validation.checker import Checker, as_int, as_text
from podstudio.engine.validation.cron import schedule_error, time_zone_error
from podstudio.engine.validation.formats import (
    MAX_INT32,
    dns_label_errors,
    dns_subdomain_errors,
    label_value_errors,
    qualified_name_errors,
)
from podstudio.engine.validation.metadata import generated_name
from podstudio.engine.validation.scheduling import check_labels
from podstudio.engine.validation.selectors import check_label_selector, selector_matches
from podstudio.engine.validation.template import template_errors

MAX_PARALLELISM_INDEXED = 100_000
MAX_FAILED_INDEXES = 100_000
COMPLETIONS_SOFT_LIMIT = 100_000
PARALLELISM_HIGH_COMPLETIONS = 10_000
MAX_FAILED_INDEXES_HIGH_COMPLETIONS = 10_000
MAX_POD_FAILURE_RULES = 20
MAX_EXIT_CODE_VALUES = 255
MAX_CONDITION_PATTERNS = 20
MAX_MANAGED_BY = 63
_HTTP_PATH = compile_lazily(r"[A-Za-z0-9/\-._~%!$&'()*+,;=:]+")  # apimachinery's httpPathFmt
_HTTP_PATH_HINT = "only letters, digits and / - . _ ~ % ! $ & ' ( ) * + , ; = :"
MAX_SUCCESS_RULES = 20
ACTIONS = ("Count", "FailIndex", "FailJob", "Ignore")
CONCURRENCY_POLICIES = ("Allow", "Forbid", "Replace")
# Labels generateSelector puts on the template; a uid cannot be known before the Job exists.
JOB_NAME_LABELS = ("job-name", "batch.kubernetes.io/job-name")
UID_LABELS = ("controller-uid", "batch.kubernetes.io/controller-uid")


def _check_pod_failure_policy(c: Checker, spec: dict, policy: dict, path: str) -> None:
    rules = as_list(policy.get("rules"))
    rules_path = join(path, "rules")
    if len(rules) > MAX_POD_FAILURE_RULES:
        c.add(rules_path, f"must have at most {MAX_POD_FAILURE_RULES} items")
    template_spec = as_dict(as_dict(spec.get("template")).get("spec"))
    # Go's set of every container's Name: one without a name (or a null entry) adds "".
    names = {
        "" if name is None else name
        for field in ("containers", "initContainers")
        for container in as_list(template_spec.get(field))
        if isinstance(name := as_dict(container).get("name"), str | None)
    }
    for index, rule in enumerate(rules):
        rule = as_dict(rule)
        rule_path = f"{rules_path}[{index}]"
        action = rule.get("action")
        if action in (None, ""):
            c.add(join(rule_path, "action"), "required: one of " + ", ".join(ACTIONS))
        elif action == "FailIndex":
            if spec.get("backoffLimitPerIndex") is None:
                c.add(join(rule_path, "action"), "requires the backoffLimitPerIndex to be set")
        elif isinstance(action, str) and action not in ACTIONS:
            c.add(join(rule_path, "action"), "must be one of: " + ", ".join(ACTIONS))
        on_exit = rule.get("onExitCodes")
        conditions = as_list(rule.get("onPodConditions"))
        if isinstance(on_exit, dict):
            _check_on_exit_codes(c, on_exit, join(rule_path, "onExitCodes"), names)
        for cond_index, pattern in enumerate(conditions):  # every one, however many
            pattern = as_dict(pattern)
            pattern_path = f"{rule_path}.onPodConditions[{cond_index}]"
            kind = as_text(pattern.get("type"))
            c.add_all(join(pattern_path, "type"), qualified_name_errors(kind or ""))
            status = defaulted(pattern.get("status"), "True")
            if isinstance(status, str) and status not in ("True", "False", "Unknown"):
                c.add(join(pattern_path, "status"), "must be one of: False, True, Unknown")
        if len(conditions) > MAX_CONDITION_PATTERNS:
            c.add(
                join(rule_path, "onPodConditions"),
                f"must have at most {MAX_CONDITION_PATTERNS} items",
            )
        if on_exit is not None and conditions:
            c.add(rule_path, "specifying both OnExitCodes and OnPodConditions is not supported")
        if on_exit is None and not conditions:
            c.add(rule_path, "specifying one of OnExitCodes and OnPodConditions is required")


def _check_on_exit_codes(c: Checker, on_exit: dict, path: str, names: set) -> None:
    operator = on_exit.get("operator")
    if operator in (None, ""):
        c.add(join(path, "operator"), 'required: "In" or "NotIn"')
    elif isinstance(operator, str) and operator not in ("In", "NotIn"):
        c.add(join(path, "operator"), 'must be "In" or "NotIn"')
    container = on_exit.get("containerName")
    if isinstance(container, str) and container not in names:
        c.add(
            join(path, "containerName"),
            "must be one of the container or initContainer names in the pod template",
        )
    values = [as_int(value) for value in as_list(on_exit.get("values"))]
    values_path = join(path, "values")
    if not values:
        c.add(values_path, "at least one value is required")
    elif len(values) > MAX_EXIT_CODE_VALUES:
        c.add(values_path, f"must have at most {MAX_EXIT_CODE_VALUES} items")
    seen: set[int] = set()
    ordered = True
    previous = None
    for index, value in enumerate(values):
        if value is None:
            continue
        if operator == "In" and value == 0:
            c.add(f"{values_path}[{index}]", "must not be 0 for the In operator")
        if value in seen:
            c.add(f"{values_path}[{index}]", f"duplicate value {value}")
        seen.add(value)
        if previous is not None and previous > value:
            ordered = False
        previous = value
    if not ordered:
        c.add(values_path, "must be ordered")


# What Go's strconv.ParseInt takes as an index: one optional sign, then ASCII digits ("²" and
# "١" are digits to str.isdigit, and "+-1" is what lstrip would let through).
_INDEX = compile_lazily(r"[+-]?[0-9]+")


def _check_indexes(text: str, completions: int) -> tuple[int, str | None]:
    """``validateIndexesFormat``: how many indexes ``1,3-5`` names, or why it is refused."""
    if not text:
        return 0, None
    last = None
    total = 0
    for interval in text.split(","):
        limits = interval.split("-")
        if len(limits) > 2:
            return 0, (
                f'the fragment "{interval}" violates the requirement that an index interval '
                "can have at most two parts separated by '-'"
            )
        numbers = []
        for limit in limits:
            number, in_range = atoi(limit) if _INDEX.fullmatch(limit) else (0, False)
            if not in_range:  # Atoi: a 64-bit int (zero-padded to any length)
                return 0, f'cannot convert string to integer for index: "{limit}"'
            if number >= completions:
                return 0, f'too large index: "{limit}"'
            numbers.append(number)
        first, end = numbers[0], numbers[-1]
        if len(numbers) == 2 and first >= end:
            return 0, f"non-increasing order, previous: {first}, current: {end}"
        if last is not None and last >= first:
            return 0, f"non-increasing order, previous: {last}, current: {first}"
        total += end - first + 1
        last = end
    return total, None


def _check_success_policy(c: Checker, spec: dict, policy: dict, path: str) -> None:
    rules = as_list(policy.get("rules"))
    rules_path = join(path, "rules")
    if not rules:
        c.add(
            rules_path, "at least one rules must be specified when the successPolicy is specified"
        )
    if len(rules) > MAX_SUCCESS_RULES:
        c.add(rules_path, f"must have at most {MAX_SUCCESS_RULES} items")
    completions = as_int(spec.get("completions"))
    for index, rule in enumerate(rules):
        rule = as_dict(rule)
        rule_path = f"{rules_path}[{index}]"
        count, indexes = rule.get("succeededCount"), rule.get("succeededIndexes")
        if count is None and indexes is None:
            c.add(rule_path, "at least one of succeededCount or succeededIndexes must be specified")
        total = 0
        if isinstance(indexes, str) and len(indexes.encode("utf-8", "surrogatepass")) > 65536:
            c.add(join(rule_path, "succeededIndexes"), "must have at most 65536 bytes")
        if isinstance(indexes, str) and completions is not None:
            total, problem = _check_indexes(indexes, completions)
            if problem:
                c.add(
                    join(rule_path, "succeededIndexes"),
                    f"error parsing succeededIndexes: {problem}",
                )
        count = as_int(count)
        if count is not None:
            count_path = join(rule_path, "succeededCount")
            if count < 0:
                c.add(count_path, "must be greater than or equal to 0")
            if completions is not None and count > completions:
                c.add(
                    count_path,
                    f"must be less than or equal to {completions} "
                    "(the number of specified completions)",
                )
            if isinstance(indexes, str) and count > total:
                c.add(
                    count_path,
                    f"must be less than or equal to {total} "
                    "(the number of indexes in the specified succeededIndexes field)",
                )


def _check_job_spec(c: Checker, spec: dict, path: str) -> None:
    """``validateJobSpec`` without the template, which ``template_errors`` judges."""
    for key in (
        "parallelism",
        "completions",
        "activeDeadlineSeconds",
        "backoffLimit",
        "ttlSecondsAfterFinished",
        "backoffLimitPerIndex",
        "maxFailedIndexes",
    ):
        non_negative(c, spec, key, path)
    parallelism = as_int(spec.get("parallelism"))
    completions = as_int(spec.get("completions"))
    per_index = spec.get("backoffLimitPerIndex")
    max_failed = as_int(spec.get("maxFailedIndexes"))
    if spec.get("maxFailedIndexes") is not None and per_index is None:
        c.add(join(path, "backoffLimitPerIndex"), "required when maxFailedIndexes is specified")
    managed_by = as_text(spec.get("managedBy"))
    if managed_by is not None:
        # IsDomainPrefixedPath: a DNS subdomain, "/", and a path of URL characters.
        prefix, slash, rest = managed_by.partition("/")
        if not slash or not prefix or not rest:
            c.add(
                join(path, "managedBy"),
                "must be a domain-prefixed path (such as example.com/controller)",
            )
        else:
            c.add_all(join(path, "managedBy"), dns_subdomain_errors(prefix))
            if not _HTTP_PATH.fullmatch(rest):
                c.add(join(path, "managedBy"), f"Invalid path {rest!r}: {_HTTP_PATH_HINT}")
        if len(managed_by) > MAX_MANAGED_BY:
            c.add(join(path, "managedBy"), f"must be no more than {MAX_MANAGED_BY} characters")
    mode = spec.get("completionMode")
    indexed = mode == "Indexed"
    if isinstance(mode, str) and mode not in ("NonIndexed", "Indexed"):
        c.add(join(path, "completionMode"), 'must be "NonIndexed" or "Indexed"')
    if indexed:
        if spec.get("completions") is None:
            message = "required when completion mode is Indexed"
            if spec.get("successPolicy") is not None:
                # validateSuccessPolicyRule reads the missing completions and panics: the
                # request gets no answer, as if the cluster were down.
                message += (
                    " (with a successPolicy, Kubernetes 1.37's API server crashes on this Job "
                    "instead of saying so: the connection is dropped)"
                )
            c.add(join(path, "completions"), message)
        if parallelism is not None and parallelism > MAX_PARALLELISM_INDEXED:
            c.add(
                join(path, "parallelism"),
                f"must be less than or equal to {MAX_PARALLELISM_INDEXED} "
                "when completion mode is Indexed",
            )
        if completions is not None and max_failed is not None and max_failed > completions:
            c.add(join(path, "maxFailedIndexes"), "must be less than or equal to completions")
        if max_failed is not None and max_failed > MAX_FAILED_INDEXES:
            c.add(
                join(path, "maxFailedIndexes"),
                f"must be less than or equal to {MAX_FAILED_INDEXES}",
            )
        high = completions is not None and completions > COMPLETIONS_SOFT_LIMIT
        if high and per_index is not None:
            suffix = (
                f"when completions are above {COMPLETIONS_SOFT_LIMIT} "
                "and used with backoff limit per index"
            )
            if spec.get("maxFailedIndexes") is None:
                c.add(
                    join(path, "maxFailedIndexes"),
                    f"must be specified when completions is above {COMPLETIONS_SOFT_LIMIT}",
                )
            if parallelism is not None and parallelism > PARALLELISM_HIGH_COMPLETIONS:
                c.add(
                    join(path, "parallelism"),
                    f"must be less than or equal to {PARALLELISM_HIGH_COMPLETIONS} {suffix}",
                )
            if max_failed is not None and max_failed > MAX_FAILED_INDEXES_HIGH_COMPLETIONS:
                c.add(
                    join(path, "maxFailedIndexes"),
                    f"must be less than or equal to {MAX_FAILED_INDEXES_HIGH_COMPLETIONS} {suffix}",
                )
    elif mode is None or mode == "NonIndexed":
        if per_index is not None:
            c.add(join(path, "backoffLimitPerIndex"), "requires indexed completion mode")
        if spec.get("maxFailedIndexes") is not None:
            c.add(join(path, "maxFailedIndexes"), "requires indexed completion mode")
    failure_policy = spec.get("podFailurePolicy")
    if isinstance(failure_policy, dict):
        _check_pod_failure_policy(c, spec, failure_policy, join(path, "podFailurePolicy"))
    success = spec.get("successPolicy")
    if isinstance(success, dict):
        if not indexed:
            c.add(join(path, "successPolicy"), "requires indexed completion mode")
        else:
            _check_success_policy(c, spec, success, join(path, "successPolicy"))
    replacement = spec.get("podReplacementPolicy")
    if isinstance(replacement, str):
        if isinstance(failure_policy, dict) and replacement != "Failed":
            c.add(join(path, "podReplacementPolicy"), 'must be "Failed" with a podFailurePolicy')
        elif replacement not in ("Failed", "TerminatingOrFailed"):
            c.add(join(path, "podReplacementPolicy"), 'must be "Failed" or "TerminatingOrFailed"')
    policy = as_dict(as_dict(spec.get("template")).get("spec")).get("restartPolicy")
    if isinstance(failure_policy, dict) and policy == "OnFailure":
        c.add(
            join(path, "template.spec.restartPolicy"),
            'only "Never" is supported when podFailurePolicy is specified',
        )


def _check_generated_selector(c: Checker, manifest: dict, spec: dict) -> None:
    """What ``generateSelector`` and ``validateGeneratedSelector`` leave to refuse."""
    metadata = as_dict(manifest.get("metadata"))
    name = metadata.get("name")
    # With only generateName the name is made before the selector (rest.BeforeCreate): random
    # characters no job-name label written ahead can equal.
    made_up = not as_text(name) and bool(as_text(metadata.get("generateName")))
    labels = as_dict(as_dict(as_dict(spec.get("template")).get("metadata")).get("labels"))
    labels_path = "spec.template.metadata.labels"
    for key in UID_LABELS:
        if key in labels:
            c.add(
                join_key(labels_path, key),
                "is set by the API server to the Job's uid: remove it "
                "(or set manualSelector: true and write the selector yourself)",
            )
    for key in JOB_NAME_LABELS:
        if key in labels and made_up:
            c.add(
                join_key(labels_path, key),
                "must be the name generated from generateName, which ends in random "
                "characters: leave the job-name labels out (the API server sets them)",
            )
        elif key in labels and isinstance(name, str) and labels[key] != name:
            c.add(join_key(labels_path, key), f"must be '{name}'")
    name = generated_name(metadata) if made_up else name
    # generateSelector makes a selector when there is none, so a uid label written in the
    # template fails to match the one it selects.
    selector = spec.get("selector")
    selector = {} if selector is None else selector
    # ValidateLabelSelector reports the selector's own errors, whoever wrote it.
    if not isinstance(selector, dict) or not check_label_selector(c, selector, "spec.selector"):
        return  # no selector to compare
    # generateSelector adds the uid to the selector and the uid and name labels the template
    # lacks; the Pods it makes must then be selected, by a selector that selects nothing else.
    uid = "\0uid"  # the Job's uid: no value a person writes can equal it
    generated = {
        **selector,
        "matchLabels": {UID_LABELS[1]: uid, **as_dict(selector.get("matchLabels"))},
    }
    name = name if isinstance(name, str) else ""
    made = {**dict.fromkeys(UID_LABELS, uid), **dict.fromkeys(JOB_NAME_LABELS, name)}
    if not selector_matches(generated, made):
        c.add(
            "spec.selector",
            "`selector` not auto-generated: leave it out (the API server makes one), "
            "or set manualSelector: true",
        )
    if not selector_matches(generated, {**made, **labels}):
        c.add(labels_path, MISMATCH)


def _check_name_labels(c: Checker, manifest: dict, spec: dict) -> None:
    """``generateSelector`` copies the Job's name into each job-name label the template lacks,
    and ``ValidatePodTemplateSpec`` then checks it as a label value (at most 63 characters,
    where a name may have 253). ``SetDefaults_Job`` gave a Job without labels the template's
    label map itself (a Go map, shared), so the name lands in ``metadata.labels`` too."""
    metadata = as_dict(manifest.get("metadata"))
    written = as_text(metadata.get("name"))
    # A name generated from generateName: the object was copied before generateSelector ran,
    # so the template's label map is no longer the Job's own (only the template is checked).
    name = written or generated_name(metadata)
    template = as_dict(as_dict(spec.get("template")).get("metadata"))
    labels = template.get("labels")
    if not name or all(key in as_dict(labels) for key in JOB_NAME_LABELS):
        return
    shown = (
        repr(written)
        if written
        else f"{as_text(metadata.get('generateName'))!r} and 5 random characters"
    )
    problems = [
        f"value {shown} (the Job's name, which the API server copies into the template's "
        f"job-name labels unless manualSelector is true): {message}"
        for message in label_value_errors(name)
    ]
    c.add_all("spec.template.labels", problems)
    if written and isinstance(labels, dict) and not as_dict(metadata.get("labels")):
        c.add_all("metadata.labels", problems)


def job_defaults(spec: dict) -> dict:
    """A Job's spec after ``SetDefaults_Job`` (a CronJob's job template gets none of these)."""
    spec = dict(spec)
    if spec.get("completions") is None and spec.get("parallelism") is None:
        spec["completions"] = 1
        spec["parallelism"] = 1
    if spec.get("parallelism") is None:
        spec["parallelism"] = 1
    if spec.get("backoffLimit") is None:
        spec["backoffLimit"] = MAX_INT32 if spec.get("backoffLimitPerIndex") is not None else 6
    if spec.get("completionMode") is None:
        spec["completionMode"] = "NonIndexed"
    return spec


def validate_job(c: Checker, manifest: dict, spec: dict) -> None:
    spec = job_defaults(spec)
    # SetDefaults_Job gives a Job without labels its template's label map, which
    # ValidateObjectMeta then checks as the Job's own (at metadata.labels).
    template_labels = as_dict(spec.get("template")).get("metadata")
    template_labels = as_dict(template_labels).get("labels")
    if isinstance(template_labels, dict) and not as_dict(manifest.get("metadata")).get("labels"):
        check_labels(c, template_labels, "metadata.labels")
    if spec.get("manualSelector") is True:
        selector = spec.get("selector")
        if selector is None:
            c.add("spec.selector", "required with manualSelector: true")
            # validateJobSpec: a nil selector (LabelSelectorAsSelector) selects nothing.
            c.add("spec.template.metadata.labels", f"{MISMATCH}: there is no selector")
        elif isinstance(selector, dict):
            labels = as_dict(as_dict(as_dict(spec.get("template")).get("metadata")).get("labels"))
            if check_label_selector(c, selector, "spec.selector") and not selector_matches(
                selector, labels
            ):
                c.add("spec.template.metadata.labels", MISMATCH)
    else:
        _check_generated_selector(c, manifest, spec)
        _check_name_labels(c, manifest, spec)
    _check_job_spec(c, spec, "spec")
    # The name the Job gets: a generateName is cut to 58 characters and 5 are added.
    metadata = as_dict(manifest.get("metadata"))
    name = generated_name(metadata)
    completions = as_int(spec.get("completions"))
    if spec.get("completionMode") == "Indexed" and completions is not None and completions > 0:
        hostname = f"{name}-{completions - 1}"
        if name and dns_label_errors(hostname):
            message = f"will not able to create pod with invalid DNS label: {hostname}"
            if not as_text(metadata.get("name")):
                message += " (generateName and the 5 random characters the API server adds)"
            c.add("metadata.name", message)


def validate_cronjob(c: Checker, manifest: dict, spec: dict) -> None:
    schedule = spec.get("schedule")
    if schedule in (None, ""):
        c.add("spec.schedule", 'required: when to run, such as "0 3 * * *" (03:00 every day)')
    elif isinstance(schedule, str):
        problem = schedule_error(schedule)
        if problem:
            c.add("spec.schedule", problem)
        if "TZ" in schedule and c.minor >= 29:  # before 1.29, a warning (validation.warnings)
            c.add(
                "spec.schedule", "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"
            )
    non_negative(c, spec, "startingDeadlineSeconds", "spec")
    zone = spec.get("timeZone")
    if isinstance(zone, str):
        problem = time_zone_error(zone)
        if problem:
            c.add("spec.timeZone", problem)
    policy = defaulted(spec.get("concurrencyPolicy"), "Allow")
    if isinstance(policy, str) and policy not in CONCURRENCY_POLICIES:
        c.add("spec.concurrencyPolicy", "must be one of: " + ", ".join(CONCURRENCY_POLICIES))
    job_spec = as_dict(as_dict(spec.get("jobTemplate")).get("spec"))
    _check_job_spec(c, job_spec, "spec.jobTemplate.spec")
    if job_spec.get("selector") is not None:
        c.add("spec.jobTemplate.spec.selector", "`selector` will be auto-generated")
    if job_spec.get("manualSelector") is True:
        c.add("spec.jobTemplate.spec.manualSelector", "must be false or unset in a CronJob")
    non_negative(c, spec, "successfulJobsHistoryLimit", "spec")
    non_negative(c, spec, "failedJobsHistoryLimit", "spec")
    metadata = as_dict(manifest.get("metadata"))
    name = generated_name(metadata)
    if len(name) > 52:
        message = "must be no more than 52 characters (the controller adds 11 to name each Job)"
        if not as_text(metadata.get("name")):
            message += (
                f"; the API server names it after generateName and 5 random characters, "
                f"{len(name)} in all: make generateName at most 47"
            )
        c.add("metadata.name", message)


def batch_errors(
    manifest: dict, kind_name: str, version: str, pod: dict | None = None
) -> list[FieldError]:
    kind = KINDS[kind_name]
    c = Checker(version)
    spec = as_dict(manifest.get("spec"))
    (validate_job if kind_name == "Job" else validate_cronjob)(c, manifest, spec)
    return c.errors + template_errors(manifest, kind, version, pod)
