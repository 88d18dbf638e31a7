"""The course: every lesson, its examples, its quiz and its exercise, as plain data.

Facts a lesson states about an example (its QoS class, its Pod Security level) live here, next
to the example, so the page renders them from one place and the tests check them with the engine.
"""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

EXAMPLES_DIR = Path(__file__).parent / "examples"


@dataclass(frozen=True)
class Example:
    name: str  # file name without .yaml; also the builder's ?example= value
    title: str
    qos: str  # the QoS class the lesson says this Pod gets
    pss: str  # the highest Pod Security Standards level the lesson says it meets

    @property
    def path(self) -> Path:
        return EXAMPLES_DIR / f"{self.name}.yaml"

    @property
    def yaml(self) -> str:
        return _read_example(self.name)


@cache
def _read_example(name: str) -> str:
    return (EXAMPLES_DIR / f"{name}.yaml").read_text()


@dataclass(frozen=True)
class Choice:
    id: str
    text: str
    correct: bool
    explanation: str


@dataclass(frozen=True)
class Question:
    id: str
    prompt: str
    choices: tuple[Choice, ...]

    def choice(self, choice_id: str) -> Choice | None:
        return next((c for c in self.choices if c.id == choice_id), None)

    @property
    def answer(self) -> Choice:
        return next(c for c in self.choices if c.correct)


@dataclass(frozen=True)
class Lesson:
    slug: str
    title: str
    summary: str
    template: str
    examples: tuple[str, ...]
    quiz: tuple[Question, ...]
    exercise: str | None  # slug in lessons.exercises

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.quiz if q.id == question_id), None)


def right(text: str, explanation: str) -> tuple[str, bool, str]:
    return (text, True, explanation)


def wrong(text: str, explanation: str) -> tuple[str, bool, str]:
    return (text, False, explanation)


def ask(question_id: str, prompt: str, *choices: tuple[str, bool, str]) -> Question:
    """A question whose choices get the ids a, b, c… in the order written."""
    return Question(
        id=question_id,
        prompt=prompt,
        choices=tuple(
            Choice(id="abcdef"[i], text=text, correct=correct, explanation=why)
            for i, (text, correct, why) in enumerate(choices)
        ),
    )


EXAMPLES: dict[str, Example] = {
    e.name: e
    for e in [
        Example("hello-nginx", "A single web server", "BestEffort", "baseline"),
        Example(
            "shop-api-anatomy", "A manifest with every everyday field", "Burstable", "baseline"
        ),
        Example("nightly-report", "A task that runs to completion", "Guaranteed", "baseline"),
        Example(
            "web-log-sidecar", "Sidecar: shipping the web server's logs", "Burstable", "baseline"
        ),
        Example(
            "orders-db-ambassador", "Ambassador: a local database proxy", "Burstable", "baseline"
        ),
        Example(
            "legacy-metrics-adapter",
            "Adapter: metrics in Prometheus format",
            "BestEffort",
            "baseline",
        ),
        Example("api-with-init", "Init containers: wait, then migrate", "Burstable", "baseline"),
        Example("burstable-worker", "Requests below limits", "Burstable", "baseline"),
        Example("guaranteed-cache", "Requests equal to limits", "Guaranteed", "baseline"),
        Example("probed-api", "Startup, liveness and readiness together", "Burstable", "baseline"),
        Example("probe-kinds", "exec, tcpSocket and grpc probes", "BestEffort", "baseline"),
        Example("restricted-api", "A hardened Pod", "Guaranteed", "restricted"),
        Example("node-inspector", "A privileged node debugger", "BestEffort", "privileged"),
        Example("web-and-cache", "Two containers talking over localhost", "BestEffort", "baseline"),
        Example("crashing-app", "An app that keeps crashing", "BestEffort", "baseline"),
        Example("too-big-to-schedule", "A Pod no node can hold", "Burstable", "baseline"),
        Example("postgres-on-ssd", "A database on dedicated SSD nodes", "Burstable", "baseline"),
        Example("production-ready", "Everything together", "Guaranteed", "restricted"),
    ]
}

LESSONS: tuple[Lesson, ...] = (
    Lesson(
        slug="what-is-a-pod",
        title="What is a Pod?",
        summary="The smallest thing Kubernetes runs, and the five traits every Pod shares.",
        template="lessons/content/what-is-a-pod.html",
        examples=("hello-nginx",),
        exercise="first-pod",
        quiz=(
            ask(
                "unit",
                "What is the smallest unit Kubernetes schedules and runs?",
                wrong(
                    "A container",
                    "Containers always run inside a Pod; Kubernetes never places a lone container.",
                ),
                right(
                    "A Pod",
                    "Right: the Pod is the unit that is scheduled, started and deleted as a whole.",
                ),
                wrong(
                    "A node",
                    "A node is a machine that runs Pods, not something Kubernetes deploys.",
                ),
            ),
            ask(
                "same-node",
                "A Pod has three containers. Where do they run?",
                right(
                    "All on the same node",
                    "Right: a Pod is placed on one node as a whole, with all its containers.",
                ),
                wrong(
                    "Spread over nodes for resilience",
                    "Spreading is done with several Pods (replicas), never by splitting one Pod.",
                ),
                wrong(
                    "Wherever each container's requests fit",
                    "The scheduler adds up the requests and finds one node for the Pod.",
                ),
            ),
            ask(
                "ephemeral",
                "A node fails and takes a bare Pod (no controller) with it. What happens?",
                wrong(
                    "Kubernetes recreates the same Pod on another node",
                    "Nothing recreates a bare Pod: that is what Deployments are for.",
                ),
                right(
                    "The Pod is gone; a controller would have to create a new one",
                    "Right: Pods are disposable. Replacement Pods get new names and new IPs.",
                ),
                wrong(
                    "The Pod waits in Pending until the node comes back",
                    "Pending is for Pods not yet started; a Pod is never moved or re-bound.",
                ),
            ),
            ask(
                "shared",
                "What do all containers of one Pod share?",
                wrong(
                    "Only the filesystem of the first container",
                    "Each container has its own root filesystem; they share data only via volumes.",
                ),
                right(
                    "One IP address and port space, plus any volumes they mount",
                    "Right: one network namespace per Pod, and volumes declared once in the Pod.",
                ),
                wrong(
                    "Nothing; they are as isolated as separate Pods",
                    "They share the network and may share volumes; that is the point.",
                ),
            ),
        ),
    ),
    Lesson(
        slug="anatomy",
        title="Anatomy of a Pod manifest",
        summary="apiVersion, kind, metadata and spec, field by field.",
        template="lessons/content/anatomy.html",
        examples=("shop-api-anatomy",),
        exercise="label-and-port",
        quiz=(
            ask(
                "labels-vs-annotations",
                "You want a Service to find your Pods. Where do you put app: shop-api?",
                right(
                    "metadata.labels",
                    "Right: Services, Deployments and kubectl -l select objects by their labels.",
                ),
                wrong(
                    "metadata.annotations",
                    "Annotations hold notes for people and tools; nothing selects by them.",
                ),
                wrong(
                    "spec.nodeSelector",
                    "nodeSelector matches labels on nodes, to choose where the Pod runs.",
                ),
            ),
            ask(
                "containerport",
                "What does containerPort: 8080 do?",
                wrong(
                    "It opens port 8080 in a firewall",
                    "It opens nothing: the app listens on whatever port it listens on anyway.",
                ),
                right(
                    "It documents the port and lets probes and Services refer to it by name",
                    "Right: it opens nothing, but a name (http) lets other fields say port: http.",
                ),
                wrong(
                    "It publishes 8080 on the node's IP",
                    "That would be hostPort, which few Pods should use.",
                ),
            ),
            ask(
                "namespace",
                "What happens if metadata.namespace is left out?",
                wrong(
                    "The Pod is rejected",
                    "The field is optional; the Pod is accepted.",
                ),
                right(
                    "The Pod goes into the namespace of your current kubectl context",
                    "Right: usually default, unless your context or the -n flag says otherwise.",
                ),
                wrong(
                    "The Pod is created in every namespace",
                    "An object lives in exactly one namespace.",
                ),
            ),
            ask(
                "volumes",
                "A container mounts a volume named settings. Where is settings defined?",
                right(
                    "In spec.volumes, once for the whole Pod",
                    "Right: the Pod declares volumes; each container mounts them by name.",
                ),
                wrong(
                    "Inside the container's volumeMounts",
                    "volumeMounts only says where to mount a volume declared in spec.volumes.",
                ),
                wrong(
                    "In metadata",
                    "metadata only identifies and describes the object.",
                ),
            ),
        ),
    ),
    Lesson(
        slug="lifecycle",
        title="The Pod lifecycle",
        summary="The five phases, container states, and what restartPolicy changes.",
        template="lessons/content/lifecycle.html",
        examples=("nightly-report",),
        exercise="run-to-completion",
        quiz=(
            ask(
                "pending-image",
                "A Pod is bound to a node and its image is still downloading. Its phase is…",
                right(
                    "Pending",
                    "Right: until its containers have been created the Pod stays Pending.",
                ),
                wrong(
                    "Running",
                    "Running needs every container created and at least one running.",
                ),
                wrong(
                    "Unknown",
                    "Unknown means the node stopped reporting, not that work is in progress.",
                ),
            ),
            ask(
                "never-fail",
                "restartPolicy: Never, the only container exits with code 1. The phase becomes…",
                wrong(
                    "Succeeded",
                    "Succeeded needs every container to exit with code 0.",
                ),
                right(
                    "Failed",
                    "Right: all containers ended, one with an error, and none will be restarted.",
                ),
                wrong(
                    "Running, in CrashLoopBackOff",
                    "With Never the kubelet does not restart it, so there is no crash loop.",
                ),
            ),
            ask(
                "always-exit0",
                "restartPolicy: Always (the default) and the container exits with code 0. Then…",
                wrong(
                    "The Pod becomes Succeeded",
                    "With Always a finished container is restarted, so the Pod never succeeds.",
                ),
                right(
                    "The kubelet restarts it and the Pod stays Running",
                    "Right: Always restarts whatever the exit code; tasks want OnFailure or Never.",
                ),
                wrong(
                    "The Pod is deleted",
                    "Exits never delete a Pod; its status only records what happened.",
                ),
            ),
            ask(
                "unknown",
                "Which situation shows the phase Unknown?",
                wrong(
                    "The image name is misspelt",
                    "That gives ErrImagePull / ImagePullBackOff while the Pod is Pending.",
                ),
                wrong(
                    "The liveness probe fails",
                    "That restarts the container; the node still reports the Pod's state.",
                ),
                right(
                    "The node running the Pod stops talking to the control plane",
                    "Right: nobody can report the Pod's state, so it cannot be known.",
                ),
            ),
        ),
    ),
    Lesson(
        slug="multi-container",
        title="Multi-container patterns",
        summary="Sidecar, ambassador and adapter, and native sidecar containers.",
        template="lessons/content/multi-container.html",
        examples=("web-log-sidecar", "orders-db-ambassador", "legacy-metrics-adapter"),
        exercise="add-log-sidecar",
        quiz=(
            ask(
                "ambassador",
                "The app connects to localhost:6432 and a proxy in the Pod forwards to a remote "
                "database. Which pattern is this?",
                wrong(
                    "Adapter",
                    "An adapter changes what the app produces (its output), for others to read.",
                ),
                right(
                    "Ambassador",
                    "Right: the ambassador stands in for an outside service, on localhost.",
                ),
                wrong(
                    "Init container",
                    "An init container finishes before the app starts; a proxy must keep running.",
                ),
            ),
            ask(
                "readonly",
                "A log shipper only reads the app's log files. How should it mount the volume?",
                right(
                    "With readOnly: true",
                    "Right: it needs nothing more, and a bug in it cannot damage the logs.",
                ),
                wrong(
                    "Writable, so it can rotate the files",
                    "Rotation is the writer's job; give each container the least access it needs.",
                ),
                wrong(
                    "It cannot; volumes are per container",
                    "Volumes belong to the Pod and any of its containers may mount them.",
                ),
            ),
            ask(
                "native",
                "How do you declare a native sidecar (Kubernetes 1.29 and later)?",
                wrong(
                    "As a second entry of spec.containers",
                    "That works as a classic sidecar, but nothing orders its start or shutdown.",
                ),
                right(
                    "As an init container with restartPolicy: Always",
                    "Right: it starts before the app, keeps running beside it and stops after it.",
                ),
                wrong(
                    "With the annotation sidecar: true",
                    "No annotation does this; the container field restartPolicy does.",
                ),
            ),
            ask(
                "adapter",
                "Which job suits the adapter pattern?",
                right(
                    "Turning an old app's metrics file into Prometheus format",
                    "Right: the adapter translates the app's output into a standard shape.",
                ),
                wrong(
                    "Pooling connections to a database",
                    "That is an ambassador: it represents an outside service to the app.",
                ),
                wrong(
                    "Creating a database schema before the app starts",
                    "A one-off setup step is an init container.",
                ),
            ),
        ),
    ),
    Lesson(
        slug="init-containers",
        title="Init containers",
        summary="Setup steps that run to completion, in order, before the app starts.",
        template="lessons/content/init-containers.html",
        examples=("api-with-init",),
        exercise="wait-for-database",
        quiz=(
            ask(
                "order",
                "A Pod has two init containers. How do they run?",
                wrong(
                    "Both at once, to save time",
                    "Init containers run strictly one after another, in the order listed.",
                ),
                right(
                    "One after the other; each must exit 0 before the next starts",
                    "Right: and the app containers start only after the last one succeeds.",
                ),
                wrong(
                    "Alongside the app containers",
                    "They run before the app containers; that is what makes them useful.",
                ),
            ),
            ask(
                "failure",
                "An init container exits with code 1 and restartPolicy is Always. What happens?",
                right(
                    "The kubelet runs it again, with back-off, and the Pod stays Pending",
                    "Right: kubectl shows Init:Error or Init:CrashLoopBackOff meanwhile.",
                ),
                wrong(
                    "The app containers start anyway",
                    "App containers never start until every init container has succeeded.",
                ),
                wrong(
                    "The init container is skipped",
                    "Nothing is skipped; the Pod waits until it succeeds.",
                ),
            ),
            ask(
                "probes",
                "Can a regular (not sidecar) init container have a readinessProbe?",
                wrong(
                    "Yes, it gates the next init container",
                    "Exit code 0 is the only signal that counts for an init container.",
                ),
                right(
                    "No, the API server rejects it",
                    "Right: probes make no sense for something that must simply finish.",
                ),
                wrong(
                    "Yes, but it is ignored",
                    "It is not ignored: validation refuses the Pod.",
                ),
            ),
        ),
    ),
    Lesson(
        slug="resources",
        title="Requests and limits",
        summary="CPU units and millicores, memory units, throttling and OOMKilled.",
        template="lessons/content/resources.html",
        examples=("burstable-worker",),
        exercise="set-requests-limits",
        quiz=(
            ask(
                "millicores",
                "How much CPU is 250m?",
                right(
                    "A quarter of one CPU core",
                    "Right: 1 CPU is 1000m, so 250m is 0.25 CPU.",
                ),
                wrong(
                    "250 megabytes",
                    "m on CPU means milli (thousandths); memory uses Mi or M.",
                ),
                wrong(
                    "250 cores",
                    "That would be written 250.",
                ),
            ),
            ask(
                "cpu-limit",
                "A container keeps trying to use more CPU than its limit. What happens?",
                right(
                    "It is throttled and runs slower",
                    "Right: CPU can be shared out in time slices, so the container just gets less.",
                ),
                wrong(
                    "It is killed with OOMKilled",
                    "OOMKilled is for memory; CPU overuse is throttled, never killed.",
                ),
                wrong(
                    "The Pod is evicted immediately",
                    "CPU over the limit is never a reason to evict.",
                ),
            ),
            ask(
                "memory-limit",
                "A container uses more memory than its limit. What happens?",
                wrong(
                    "It is throttled",
                    "Memory cannot be taken back slowly; it must be freed.",
                ),
                right(
                    "The kernel kills it (OOMKilled, exit code 137)",
                    "Right: then restartPolicy decides whether it starts again.",
                ),
                wrong(
                    "It swaps to disk",
                    "Kubernetes nodes normally run without swap for containers.",
                ),
            ),
            ask(
                "scheduler",
                "What does the scheduler use to decide whether a Pod fits on a node?",
                right(
                    "The sum of the containers' requests",
                    "Right: requests are reserved on the node; limits are not counted.",
                ),
                wrong(
                    "The limits",
                    "Limits cap what a running container may use; they do not reserve anything.",
                ),
                wrong(
                    "What the containers use right now",
                    "Scheduling looks at declared requests, not live usage.",
                ),
            ),
        ),
    ),
    Lesson(
        slug="qos",
        title="Quality of Service classes",
        summary="Guaranteed, Burstable and BestEffort, and who is evicted first.",
        template="lessons/content/qos.html",
        examples=("guaranteed-cache", "burstable-worker", "hello-nginx"),
        exercise="make-guaranteed",
        quiz=(
            ask(
                "guaranteed",
                "What makes a Pod Guaranteed?",
                wrong(
                    "At least one container has equal requests and limits",
                    "Every container must, for both CPU and memory, or the Pod is Burstable.",
                ),
                right(
                    "Every container has CPU and memory limits, with requests equal to them",
                    "Right: and when only limits are given, the requests default to the limits.",
                ),
                wrong(
                    "A priorityClassName of system-critical",
                    "Priority and QoS are separate; QoS comes from resources only.",
                ),
            ),
            ask(
                "besteffort",
                "A Pod has no resources section at all. Its class is…",
                wrong("Guaranteed", "Nothing is guaranteed without requests and limits."),
                wrong("Burstable", "Burstable needs at least one request or limit somewhere."),
                right(
                    "BestEffort",
                    "Right: it gets whatever is free, and is first to go when the node runs short.",
                ),
            ),
            ask(
                "eviction",
                "The node runs out of memory. Which Pods does the kubelet evict first?",
                right(
                    "BestEffort, then Burstable using more than they requested",
                    "Right: Pods using more than their requests go first; Guaranteed ones last.",
                ),
                wrong(
                    "The newest Pods first",
                    "Age is not the criterion; usage compared with requests, and priority, are.",
                ),
                wrong(
                    "Guaranteed first, because they reserve the most",
                    "It is the other way round: Guaranteed Pods are the best protected.",
                ),
            ),
            ask(
                "only-limits",
                "A single container sets limits cpu: 500m and memory: 256Mi, no requests. Class?",
                right(
                    "Guaranteed",
                    "Right: missing requests are filled in from the limits, so they match.",
                ),
                wrong(
                    "Burstable",
                    "It would be, if requests were set lower than the limits.",
                ),
                wrong("BestEffort", "It has limits, so it cannot be BestEffort."),
            ),
        ),
    ),
    Lesson(
        slug="probes",
        title="Health checks: probes",
        summary="Liveness, readiness and startup probes, their kinds and their timings.",
        template="lessons/content/probes.html",
        examples=("probed-api", "probe-kinds"),
        exercise="add-readiness-probe",
        quiz=(
            ask(
                "readiness-fail",
                "The readiness probe fails three times in a row (failureThreshold 3). Then…",
                wrong(
                    "The container is restarted",
                    "Readiness never restarts anything; that is liveness.",
                ),
                right(
                    "The Pod is marked not Ready and Services stop sending it traffic",
                    "Right: it keeps running and rejoins when the probe passes again.",
                ),
                wrong(
                    "The Pod is deleted",
                    "No probe deletes a Pod.",
                ),
            ),
            ask(
                "startup-budget",
                "A startup probe has periodSeconds: 10 and failureThreshold: 30. How long may "
                "the app take to start?",
                wrong("30 seconds", "That counts attempts as seconds; each attempt is 10 s apart."),
                right(
                    "About 300 seconds (30 × 10 s)",
                    "Right: failureThreshold × periodSeconds, after any initialDelaySeconds.",
                ),
                wrong("10 seconds", "That is only the gap between two attempts."),
            ),
            ask(
                "startup-gate",
                "While a startup probe has not yet succeeded, liveness and readiness probes…",
                right(
                    "Do not run at all",
                    "Right: that is how a slow starter avoids being killed by its liveness probe.",
                ),
                wrong(
                    "Run, but their failures are ignored",
                    "They are not run; nothing is counted.",
                ),
                wrong(
                    "Run as usual",
                    "Then a slow app could be restarted before it finished starting.",
                ),
            ),
            ask(
                "timeout",
                "The app answers the liveness check after 3 s; timeoutSeconds is 1. The attempt…",
                wrong(
                    "Succeeds, just late",
                    "A reply after the timeout is not waited for.",
                ),
                right(
                    "Counts as a failure",
                    "Right: a timeout is a failure, so a slow app can be restarted for slowness.",
                ),
                wrong(
                    "Is retried at once",
                    "The next attempt comes periodSeconds later, as usual.",
                ),
            ),
        ),
    ),
    Lesson(
        slug="security",
        title="Security contexts and Pod Security Standards",
        summary="Non-root users, read-only filesystems, capabilities, seccomp, the three levels.",
        template="lessons/content/security.html",
        examples=("restricted-api", "node-inspector"),
        exercise="harden-restricted",
        quiz=(
            ask(
                "precedence",
                "runAsUser is 1000 at Pod level and 2000 in a container's securityContext. "
                "The container runs as…",
                wrong("1000", "The Pod level is only the default for containers that set nothing."),
                right("2000", "Right: a container's own setting wins over the Pod's."),
                wrong("root", "Nothing here asks for root."),
            ),
            ask(
                "capabilities",
                "Which capability setting does the restricted level require?",
                right(
                    "drop: [ALL], adding back at most NET_BIND_SERVICE",
                    "Right: start from nothing and add only the one it allows.",
                ),
                wrong(
                    "add: [NET_ADMIN]",
                    "Adding NET_ADMIN breaks even the baseline level.",
                ),
                wrong(
                    "No capabilities field at all",
                    "Without drop: [ALL] the runtime's default set stays; restricted forbids that.",
                ),
            ),
            ask(
                "readonly",
                "Your app has readOnlyRootFilesystem: true but must write temporary files. Fix?",
                wrong(
                    "Set readOnlyRootFilesystem back to false",
                    "That works, but throws away the protection; there is a narrower fix.",
                ),
                right(
                    "Mount an emptyDir volume at /tmp",
                    "Right: only that directory is writable and it vanishes with the Pod.",
                ),
                wrong(
                    "Run the container as root",
                    "Root cannot write to a read-only filesystem either, and adds risk.",
                ),
            ),
            ask(
                "levels",
                "A Pod uses a hostPath volume. The highest Pod Security level it meets is…",
                right(
                    "privileged",
                    "Right: hostPath volumes break baseline, which leaves only privileged.",
                ),
                wrong("baseline", "Baseline forbids hostPath volumes."),
                wrong("restricted", "Restricted allows even fewer volume types than baseline."),
            ),
        ),
    ),
    Lesson(
        slug="networking",
        title="Pod networking",
        summary="One IP per Pod, localhost inside it, Services and DNS between Pods.",
        template="lessons/content/networking.html",
        examples=("web-and-cache",),
        exercise="use-localhost",
        quiz=(
            ask(
                "localhost",
                "Container A listens on 6379 in the same Pod as container B. How does B reach A?",
                right(
                    "localhost:6379",
                    "Right: they share one network namespace, so localhost is the same for both.",
                ),
                wrong(
                    "By container name, a:6379",
                    "Container names are not DNS names.",
                ),
                wrong(
                    "Through a Service",
                    "A Service works too, but it is a needless detour inside one Pod.",
                ),
            ),
            ask(
                "port-clash",
                "Two containers in one Pod both try to listen on port 8080. What happens?",
                wrong(
                    "Each gets its own 8080",
                    "They share the port space, so a port can be taken only once.",
                ),
                right(
                    "The second one fails to bind the port",
                    "Right: one network namespace means one set of ports for the whole Pod.",
                ),
                wrong(
                    "Kubernetes renumbers one of them",
                    "Kubernetes does not touch the ports the processes open.",
                ),
            ),
            ask(
                "service",
                "Why call other Pods through a Service rather than their Pod IPs?",
                right(
                    "Pod IPs change when Pods are replaced; a Service name stays the same",
                    "Right: the Service's DNS name and IP stay put and it balances across Pods.",
                ),
                wrong(
                    "Pod IPs are not reachable from other Pods",
                    "They are: every Pod can reach every other Pod's IP unless a policy blocks it.",
                ),
                wrong(
                    "Services are faster",
                    "Speed is not the reason; stable names and load balancing are.",
                ),
            ),
        ),
    ),
    Lesson(
        slug="troubleshooting",
        title="Troubleshooting Pods",
        summary="ImagePullBackOff, CrashLoopBackOff, Pending, and the commands that explain them.",
        template="lessons/content/troubleshooting.html",
        examples=("crashing-app", "too-big-to-schedule"),
        exercise="fix-image-pull",
        quiz=(
            ask(
                "previous",
                "A container is in CrashLoopBackOff. Which command shows why the last run died?",
                right(
                    "kubectl logs my-pod --previous",
                    "Right: --previous prints the output of the container instance that crashed.",
                ),
                wrong(
                    "kubectl get pods -w",
                    "That shows the restarts happening, not the reason.",
                ),
                wrong(
                    "kubectl logs -f my-pod",
                    "That follows the current instance, which may just be starting again.",
                ),
            ),
            ask(
                "pending",
                "A Pod is Pending and describe shows '0/3 nodes are available: 3 Insufficient "
                "cpu'. A good fix is…",
                wrong(
                    "Delete and recreate the Pod",
                    "The new Pod asks for the same CPU and will not fit either.",
                ),
                right(
                    "Lower the CPU request or add capacity to the cluster",
                    "Right: the scheduler needs a node with that much unreserved CPU.",
                ),
                wrong(
                    "Raise the CPU limit",
                    "Limits do not count for scheduling; requests do.",
                ),
            ),
            ask(
                "imagepull",
                "describe shows 'pull access denied' for a private image. What do you check?",
                right(
                    "The image name and tag, and imagePullSecrets",
                    "Right: a typo and missing registry credentials produce this same message.",
                ),
                wrong(
                    "The liveness probe",
                    "Probes only run once the image is pulled and the container started.",
                ),
                wrong(
                    "The memory limit",
                    "Resources do not affect pulling an image.",
                ),
            ),
            ask(
                "container-flag",
                "A Pod has containers web and log-shipper. How do you read log-shipper's output?",
                wrong(
                    "kubectl logs log-shipper",
                    "That looks for a Pod named log-shipper.",
                ),
                right(
                    "kubectl logs my-pod -c log-shipper",
                    "Right: -c picks the container inside the Pod.",
                ),
                wrong(
                    "kubectl describe pod my-pod",
                    "describe shows states and events, not the application's output.",
                ),
            ),
        ),
    ),
    Lesson(
        slug="scheduling",
        title="Scheduling and storage",
        summary="nodeSelector, taints and tolerations, emptyDir and persistent volumes.",
        template="lessons/content/scheduling.html",
        examples=("postgres-on-ssd",),
        exercise="schedule-on-ssd",
        quiz=(
            ask(
                "nodeselector",
                "nodeSelector: {disktype: ssd} means the Pod…",
                right(
                    "May run only on nodes labelled disktype=ssd",
                    "Right: and stays Pending if no such node has room.",
                ),
                wrong(
                    "Prefers SSD nodes but may run elsewhere",
                    "nodeSelector is a hard rule; preferences need node affinity.",
                ),
                wrong(
                    "Gets an SSD volume",
                    "It only chooses nodes; storage comes from volumes.",
                ),
            ),
            ask(
                "toleration",
                "What does a toleration for the taint dedicated=databases:NoSchedule do?",
                wrong(
                    "It forces the Pod onto those nodes",
                    "A toleration only lifts the ban; add a nodeSelector to draw the Pod there.",
                ),
                right(
                    "It allows the Pod onto nodes with that taint",
                    "Right: other Pods are kept off; this one may go there.",
                ),
                wrong(
                    "It taints the node",
                    "Taints are set on nodes by administrators; Pods only tolerate them.",
                ),
            ),
            ask(
                "emptydir",
                "What happens to an emptyDir volume's files when its Pod is deleted?",
                right(
                    "They are deleted too",
                    "Right: an emptyDir lives as long as its Pod; it outlives container restarts.",
                ),
                wrong(
                    "They are kept for the next Pod with the same name",
                    "A new Pod gets a new, empty emptyDir.",
                ),
                wrong(
                    "They move to a PersistentVolume",
                    "Only data written to a persistent volume outlives the Pod.",
                ),
            ),
        ),
    ),
    Lesson(
        slug="summary",
        title="Summary and next steps",
        summary="What a good Pod looks like, and where to go after Pods.",
        template="lessons/content/summary.html",
        examples=("production-ready",),
        exercise="production-ready",
        quiz=(
            ask(
                "controllers",
                "How should a web app's Pods usually be run in production?",
                wrong(
                    "As bare Pods created with kubectl apply",
                    "Nothing replaces a bare Pod when it dies or its node goes away.",
                ),
                right(
                    "Through a controller such as a Deployment",
                    "Right: it keeps the wanted number of Pods and rolls out new versions.",
                ),
                wrong(
                    "As one big Pod holding every service",
                    "Separate parts scale and fail separately, so they belong in separate Pods.",
                ),
            ),
            ask(
                "latest",
                "Why pin an image tag like 5.2.0 instead of using latest?",
                right(
                    "So every restart runs the same code you tested",
                    "Right: latest can point to a different image tomorrow.",
                ),
                wrong(
                    "latest is not allowed by Kubernetes",
                    "It is allowed; it is just unpredictable.",
                ),
                wrong(
                    "Pinned tags download faster",
                    "The download is the same; what you get is what differs.",
                ),
            ),
            ask(
                "which-probe",
                "Your app needs 2 minutes to load a cache before serving. Which probe protects it "
                "from being killed while it loads?",
                wrong("Readiness", "Readiness keeps traffic away but does not stop liveness."),
                right(
                    "Startup",
                    "Right: liveness and readiness wait until the startup probe has passed.",
                ),
                wrong("Liveness", "A liveness probe is what would kill it too early."),
            ),
        ),
    ),
)

LESSONS_BY_SLUG: dict[str, Lesson] = {lesson.slug: lesson for lesson in LESSONS}


def get_lesson(slug: str) -> Lesson:
    """The lesson with this slug; KeyError if there is none."""
    return LESSONS_BY_SLUG[slug]


def neighbours(slug: str) -> tuple[Lesson | None, Lesson | None]:
    """The previous and next lessons in course order."""
    index = [lesson.slug for lesson in LESSONS].index(slug)
    previous = LESSONS[index - 1] if index > 0 else None
    following = LESSONS[index + 1] if index + 1 < len(LESSONS) else None
    return previous, following


def lessons_using(example_name: str) -> list[Lesson]:
    return [lesson for lesson in LESSONS if example_name in lesson.examples]
