"""Sentences that state each bank entry's misconception, and correct sentences that must not match.

Per entry: (stating sentences, correct sentences), English and Korean, negations included.
Written before the matchers were tuned; a failing case is fixed in the matcher, not here.
"""

from __future__ import annotations

CASES: dict[str, tuple[list[str], list[str]]] = {
    "memory-limit-evicts-pod": (
        [
            "Exceeding the memory limit evicts the pod.",
            "If a container uses more memory than its limit, the Pod is removed from the node.",
            "memory limit를 초과하면 Pod가 축출된다.",
            "메모리 제한을 넘으면 파드가 삭제된다",
        ],
        [
            "The Pod is not evicted when a container exceeds its memory limit; the container is OOM-killed.",
            "A container over its memory limit is OOM killed and restarted.",
            "메모리 limit를 넘으면 파드가 축출되지 않고 컨테이너가 OOM kill된다.",
            "메모리 limit를 초과한 컨테이너는 OOM으로 종료되고 재시작된다.",
        ],
    ),
    "cpu-memory-limit-behaviour-swapped": (
        [
            "A container that goes over its CPU limit gets OOM killed.",
            "When memory usage passes the limit, the container is throttled.",
            "CPU limit를 넘으면 컨테이너가 OOM kill 된다.",
            "메모리 limit를 초과하면 스로틀링된다.",
        ],
        [
            "CPU over the limit is throttled, while memory over the limit is OOM-killed.",
            "Memory is not throttled.",
            "cpu의 limit를 초과하면 스로틀링",
            "메모리는 스로틀링되지 않고 OOM kill된다.",
        ],
    ),
    "requests-limits-swapped": (
        [
            "The scheduler places pods based on their limits.",
            "Requests cap how much CPU a container may use.",
            "스케줄러는 limit를 보고 파드를 배치한다.",
            "request는 컨테이너가 쓸 수 있는 상한이다.",
        ],
        [
            "The scheduler uses requests to place pods, and limits cap usage at run time.",
            "Limits are not used for scheduling.",
            "request는 스케쥴링에도 사용되며, 해당 자원은 보장함.",
            "limits는 해당 이상의 자원을 사용 못하게 방지.",
        ],
    ),
    "limitrange-resourcequota-swapped": (
        [
            "A LimitRange caps the total CPU used by a namespace.",
            "ResourceQuota sets default requests for each container.",
            "LimitRange는 네임스페이스의 총 사용량을 제한한다.",
            "ResourceQuota는 컨테이너마다 기본값을 넣어 준다.",
        ],
        [
            "A LimitRange sets default requests and limits per container.",
            "A ResourceQuota limits the total resource usage of a namespace.",
            "LimitRange를 통해서 디폴트로 파드가 생성되면 resource를 설정한다.",
            "ResourceQuota는 네임스페이스 전체 사용량을 제한한다.",
        ],
    ),
    "gibibyte-is-decimal": (
        [
            "A gibibyte is 1,000,000,000 bytes.",
            "1Gi means 10^9 bytes, the same as 1G.",
            "gibibyte는 10진수로 계산한 1,000,000,000 바이트이다",
            "1Gi는 10억 바이트다",
        ],
        [
            "A gibibyte is 2^30 bytes, 1,073,741,824; a gigabyte is 1,000,000,000 bytes.",
            "1Gi is 1024Mi, while 1G is 10^9 bytes.",
            "A gibibyte is not 1,000,000,000 bytes.",
            "gibibyte: 2진수로 계산하여 더 정확하다. 우리가 흔히 쓰는 GB(기가바이트)는 10진수로 1,000,000,000로 계산한다.",
            "기비바이트는 2진수로 1,073,741,824 바이트이고, 기가바이트는 10진수로 10억 바이트다.",
            "memory: 1Gi asks for a little more than 1G.",
        ],
    ),
    "limitrange-cluster-wide": (
        [
            "A LimitRange applies to the whole cluster.",
            "ResourceQuota limits resources across all namespaces.",
            "LimitRange는 클러스터 전체에 적용된다.",
            "ResourceQuota는 모든 네임스페이스에 걸쳐 적용된다.",
        ],
        [
            "A LimitRange applies only to its own namespace, not the whole cluster.",
            "ResourceQuota is namespaced.",
            "LimitRange는 네임스페이스별로 동작한다.",
            "ResourceQuota는 클러스터 전체가 아니라 한 네임스페이스에만 적용된다.",
        ],
    ),
    "quota-acts-on-existing-objects": (
        [
            "Adding a ResourceQuota evicts the existing pods that exceed it.",
            "When you lower the quota, pods already running over it are killed.",
            "쿼터를 새로 추가하면 이미 떠 있던 파드 중 한도를 넘는 것은 삭제된다.",
            "LimitRange를 만들면 기존 파드의 limit가 바뀐다.",
        ],
        [
            "Existing objects are not changed when a LimitRange or quota is added.",
            "A quota only applies to new objects; pods already running are not deleted.",
            "이미 있는 오브젝트는 나중에 추가된 LimitRange나 쿼터로 바뀌지 않는다.",
            "쿼터를 낮춰도 기존 파드는 그대로 남는다.",
        ],
    ),
    "limits-only-requests-zero": (
        [
            "If you set only a limit, the request is zero.",
            "With just a memory limit the request stays 0.",
            "limit만 설정하면 request는 0이다.",
            "limit만 주면 request가 0으로 잡힌다.",
        ],
        [
            "If you set only a limit, the request is the same as the limit.",
            "When only limits are set, requests default to the limits.",
            "request 설정x, limit만 설정: requests랑 limits 동일하게 적용됨.",
            "limit만 설정하면 request도 limit와 같은 값이 된다.",
        ],
    ),
    "daemonset-pods-bypass-scheduler": (
        [
            "DaemonSet pods are ignored by the scheduler.",
            "DaemonSet Pods are created without the scheduler.",
            "데몬셋 파드는 스케줄러가 무시한다.",
            "DaemonSet 파드는 스케줄러를 거치지 않고 노드에 배치된다.",
        ],
        [
            "DaemonSet pods are not ignored by the scheduler.",
            "Since 1.12 DaemonSet pods are bound by the default scheduler using node affinity.",
            "데몬셋 파드도 기본 스케줄러가 배치한다.",
            "데몬셋은 이전엔 nodeName을 Pod에 설정하여 스케쥴링 (1.12전까지)",
        ],
    ),
    "static-pods-placed-by-scheduler": (
        [
            "The scheduler places static pods on nodes.",
            "Static Pods are assigned to a node by kube-scheduler.",
            "static pod는 스케줄러가 배치한다.",
            "스태틱 파드는 스케줄러가 노드를 골라 준다.",
        ],
        [
            "Static pods are not placed by the scheduler; the kubelet runs them.",
            "The kubelet starts static Pods without the scheduler.",
            "static pod는 스케줄러와 관계없이 kubelet이 직접 실행한다.",
            "정적 파드는 스케줄러가 배치하지 않는다.",
        ],
    ),
    "static-pods-scanned-by-cron": (
        [
            "A cron job scans the static pod folder.",
            "Static pods are picked up by cron every minute.",
            "static pod 경로는 cron이 주기적으로 읽는다.",
            "매니페스트 폴더를 크론이 돌면서 파드를 만든다.",
        ],
        [
            "The kubelet watches the static pod folder itself; no cron is involved.",
            "The kubelet rescans staticPodPath every 20 seconds.",
            "kubelet이 staticPodPath를 주기적으로 다시 읽는다.",
            "static pod 폴더는 cron이 아니라 kubelet이 감시한다.",
        ],
    ),
    "static-pod-deleted-through-api": (
        [
            "Running kubectl delete on a static pod removes it for good.",
            "You can edit a static pod through the API server and it is updated.",
            "static pod는 kubectl delete로 지우면 없어진다.",
            "정적 파드는 api 서버를 통해 수정된다.",
        ],
        [
            "kubectl delete on a static pod only deletes the mirror pod, and the kubelet recreates it.",
            "You cannot change a static pod through the API server.",
            "api server를 통해서 static pod를 제어할 수 없음.",
            "static pod를 kubectl delete로 지워도 kubelet이 다시 생성한다.",
        ],
    ),
    "static-pods-only-on-control-plane": (
        [
            "Static pods only run on control plane nodes.",
            "Static Pods can only be used on the master.",
            "static 파드는 컨트롤 플레인에서만 실행된다.",
            "정적 파드는 마스터 노드에서만 동작한다.",
        ],
        [
            "Static pods are not only for the control plane; any node's kubelet can run them.",
            "kubeadm runs the control plane components as static Pods.",
            "static pod는 어느 노드에서나 실행할 수 있다.",
            "kubeadm은 컨트롤 플레인 구성 요소를 static 파드로 띄운다.",
        ],
    ),
    "scheduling-by-post-to-pod": (
        [
            "Without a scheduler you schedule a pod by sending a POST request to the pod.",
            "You can POST to the Pod itself to bind it to a node.",
            "스케줄러가 없으면 파드에 직접 POST 요청을 보내 스케줄링한다.",
            "POST 요청을 파드에 보내서 노드에 배치할 수 있다.",
        ],
        [
            "Without a scheduler, POST a Binding object to the pod's binding subresource.",
            "You can set nodeName on the pod when creating it.",
            "스케줄러가 없으면 Binding 오브젝트를 파드의 binding 하위 리소스에 POST 한다.",
            "Pod에 nodeName을 명시하여 배치할 수 있다.",
        ],
    ),
    "nodename-checked-by-scheduler": (
        [
            "A pod with nodeName still goes through the scheduler's filters.",
            "The scheduler checks resources even when nodeName is set.",
            "nodeName을 지정해도 스케줄러의 필터링을 거친다.",
            "nodeName이 있어도 스케줄러가 점수를 매긴다.",
        ],
        [
            "nodeName bypasses the scheduler entirely.",
            "With nodeName set, the scheduler is not involved.",
            "nodeName을 지정하면 스케줄러를 거치지 않는다.",
            "nodeName은 kubelet이 바로 실행을 시도한다.",
        ],
    ),
    "required-preferred-affinity-swapped": (
        [
            "A preferred affinity rule leaves the pod pending if no node matches.",
            "requiredDuringScheduling rules are weighted, best effort preferences.",
            "preferred 규칙은 맞는 노드가 없으면 파드가 pending 상태가 된다.",
            "required 규칙은 가중치를 주는 선호일 뿐이다.",
        ],
        [
            "With a required rule and no matching node, the pod stays Pending.",
            "Preferred terms carry a weight.",
            "requiredDuringScheduling은 스케쥴링 과정에서 필수.",
            "preffered는 선호라서 해당하는 노드가 없으면 다른 노드에 사용",
        ],
    ),
    "node-affinity-evicts-running-pods": (
        [
            "If node labels change and no longer match the node affinity, the running pod is evicted.",
            "With IgnoredDuringExecution, a pod is evicted when its node stops matching the affinity labels.",
            "실행 중에도 노드 레이블이 affinity 조건에 맞지 않게 되면 파드가 축출된다.",
            "affinity 조건과 일치하지 않게 되면 실행 중인 파드가 추방된다.",
        ],
        [
            "If node labels change after scheduling, node affinity does not evict the running pod.",
            "A NoExecute taint evicts running pods that do not tolerate it.",
            "노드 레이블이 바뀌어도 affinity 때문에 실행 중인 파드가 축출되지는 않는다.",
            "NoExecute 테인트는 실행 중인 파드를 축출한다.",
        ],
    ),
    "toleration-forces-placement": (
        [
            "A toleration forces the pod onto the tainted node.",
            "Adding a toleration guarantees the pod is scheduled on that node.",
            "toleration이 있으면 파드가 반드시 그 노드에 배치된다.",
            "톨러레이션은 파드를 테인트된 노드로 끌어당긴다.",
        ],
        [
            "A toleration allows, but does not force, scheduling onto a tainted node.",
            "Tolerations let pods land on tainted nodes; use node affinity to pin them.",
            "taint는 노드에 설정하여 해당 taint에 toleration이 있는 애들만 스케쥴링 가능.",
            "톨러레이션은 허용할 뿐 그 노드로 끌어당기지 않는다.",
        ],
    ),
    "noschedule-noexecute-swapped": (
        [
            "A NoSchedule taint evicts pods that are already running on the node.",
            "NoSchedule removes running pods without a toleration: they are evicted.",
            "NoSchedule 테인트를 걸면 실행 중인 파드도 축출된다.",
            "NoSchedule은 이미 실행 중인 파드를 내보낸다.",
        ],
        [
            "NoSchedule does not evict running pods; NoExecute does.",
            "A NoExecute taint evicts running pods that do not tolerate it.",
            "NoSchedule은 새 파드만 막고 실행 중인 파드는 축출하지 않는다.",
            "NoExecute 테인트는 이미 실행 중인 파드도 축출한다.",
        ],
    ),
    "validating-before-mutating": (
        [
            "Validating admission runs before mutating admission.",
            "Mutating webhooks run after validating webhooks.",
            "validating 어드미션이 mutating보다 먼저 실행된다.",
            "validation이 먼저 실행되고 mutating이 실행된다.",
        ],
        [
            "Mutating admission runs first, then validating admission.",
            "Validating webhooks run after all mutating webhooks, not before.",
            "Mutating이 먼저 실행되고 validating이 실행된다.",
            "mutating하고 validation 진행함.",
        ],
    ),
    "validating-admission-mutates": (
        [
            "A validating webhook can modify the object before it is stored.",
            "Validating admission controllers may patch incoming requests.",
            "validating 웹훅도 객체를 수정할 수 있다.",
            "validating webhook이 기본값을 채워 준다.",
        ],
        [
            "Validating webhooks cannot modify objects; they only accept or reject.",
            "A mutating webhook may change the object.",
            "validating 웹훅은 객체를 변경할 수 없다.",
            "mutating 예로는 DefaultStorageClass가 있음.",
        ],
    ),
    "namespace-plugins-deprecated": (
        [
            "NamespaceExists and NamespaceAutoProvision are deprecated.",
            "NamespaceAutoProvision was replaced by NamespaceLifecycle.",
            "NamespaceExists는 폐기되었다.",
            "NamespaceAutoProvision은 NamespaceLifecycle로 대체되었다.",
        ],
        [
            "NamespaceAutoProvision creates a namespace if it does not exist.",
            "NamespaceLifecycle is enabled by default.",
            "NamespaceExists는 없는 네임스페이스로의 요청을 거부한다.",
            "admission controller에서 네임스페이스 존재 여부 확인해서 validation으로 거절 가능.",
        ],
    ),
    "admission-before-authentication": (
        [
            "Admission controllers run before authentication.",
            "Admission control happens prior to authorization.",
            "인증 전에 어드미션 컨트롤러가 실행된다.",
            "admission controller가 인가보다 먼저 동작한다.",
        ],
        [
            "Admission controllers run after authentication and authorization.",
            "Requests are authenticated, authorized, then admitted.",
            "인가 이후엔 Action을 취하는데 Action과 인과 사이에 Admission Controllers가 동작한다.",
            "인증과 인가를 거친 다음에 어드미션이 실행된다.",
        ],
    ),
    "admission-on-reads": (
        [
            "Admission controllers also act on get and list requests.",
            "Admission webhooks intercept watch requests too.",
            "어드미션 컨트롤러는 읽기 요청에도 동작한다.",
            "admission webhook은 get 요청도 가로챈다.",
        ],
        [
            "Admission controllers do not act on get, list or watch requests.",
            "Admission applies to create, update, delete and connect.",
            "어드미션은 읽기 요청에는 적용되지 않는다.",
            "어드미션은 생성, 수정, 삭제 요청에 동작한다.",
        ],
    ),
    "rbac-can-deny": (
        [
            "You can write an RBAC rule that denies access to secrets.",
            "A Role can deny the delete verb.",
            "RBAC 규칙으로 특정 동작을 거부할 수 있다.",
            "Role에 deny 규칙을 넣을 수 있다.",
        ],
        [
            "RBAC permissions are purely additive; there are no deny rules.",
            "A Role cannot deny anything.",
            "RBAC에는 거부 규칙이 없다.",
            "인가에선 Role을 기반으로 접근을 허용한다.",
        ],
    ),
    "role-grants-cluster-scoped": (
        [
            "A Role can grant access to nodes.",
            "You can use a Role for cluster-scoped resources.",
            "Role로 노드 권한을 줄 수 있다.",
            "Role은 클러스터 범위 리소스에도 쓸 수 있다.",
        ],
        [
            "A Role cannot grant access to nodes; use a ClusterRole.",
            "Access to nodes needs a ClusterRole.",
            "노드 권한에는 ClusterRole이 필요하다.",
            "Role은 네임스페이스 안의 권한만 준다.",
        ],
    ),
    "rolebinding-clusterrole-cluster-wide": (
        [
            "A RoleBinding that references a ClusterRole grants it cluster-wide.",
            "Binding a ClusterRole with a RoleBinding gives access in all namespaces.",
            "RoleBinding이 ClusterRole을 참조하면 모든 네임스페이스에서 권한이 생긴다.",
            "롤바인딩으로 ClusterRole을 묶으면 클러스터 전체 권한이 된다.",
        ],
        [
            "A RoleBinding to a ClusterRole grants it only in the binding's namespace.",
            "Use a ClusterRoleBinding to grant a ClusterRole in all namespaces.",
            "RoleBinding은 ClusterRole을 참조해도 자기 네임스페이스 안에서만 권한을 준다.",
            "클러스터 전체 권한은 ClusterRoleBinding으로 ClusterRole을 묶는다.",
        ],
    ),
    "recreate-rollingupdate-swapped": (
        [
            "The Recreate strategy replaces pods one by one using maxSurge.",
            "RollingUpdate terminates all old pods at once.",
            "Recreate 전략은 파드를 하나씩 바꾼다.",
            "롤링 업데이트는 기존 파드를 한꺼번에 모두 종료한다.",
        ],
        [
            "Recreate kills all old pods at once before creating new ones.",
            "RollingUpdate replaces pods gradually within maxSurge and maxUnavailable.",
            "Recreate는 기존 파드를 모두 종료한 뒤 새 파드를 만든다.",
            "롤링 업데이트는 파드를 점진적으로 교체한다.",
        ],
    ),
    "deployment-default-recreate": (
        [
            "The default Deployment strategy is Recreate.",
            "By default a Deployment uses Recreate.",
            "Deployment의 기본 전략은 Recreate다.",
            "디플로이먼트는 기본으로 Recreate 전략을 쓴다.",
        ],
        [
            "The default strategy is RollingUpdate.",
            "Recreate is not the default strategy.",
            "Deployment의 기본 전략은 RollingUpdate다.",
            "Recreate 전략은 기본값이 아니다.",
        ],
    ),
    "statefulset-random-names": (
        [
            "StatefulSet pods get random name suffixes.",
            "Pods of a StatefulSet have arbitrary names like Deployment pods.",
            "StatefulSet 파드 이름에는 무작위 접미사가 붙는다.",
            "스테이트풀셋 파드는 랜덤한 이름을 가진다.",
        ],
        [
            "StatefulSet pods have stable ordinal names like web-0.",
            "A StatefulSet pod keeps its name when it is rescheduled.",
            "StatefulSet 파드는 web-0처럼 순번이 붙은 이름을 가진다.",
            "스테이트풀셋 파드 이름은 무작위가 아니다.",
        ],
    ),
    "entrypoint-cannot-be-overridden": (
        [
            "An image's ENTRYPOINT cannot be overridden.",
            "You can't replace the ENTRYPOINT of a container image.",
            "ENTRYPOINT는 덮어쓸 수 없다.",
            "이미지의 엔트리포인트는 바꿀 수 없다.",
        ],
        [
            "docker run --entrypoint overrides the ENTRYPOINT.",
            "In a Pod, command replaces the image's ENTRYPOINT.",
            "docker entrypoint는 무조건 실행됨.",
            "파드에서 command를 주면 ENTRYPOINT가 바뀐다.",
        ],
    ),
    "args-override-entrypoint": (
        [
            "The container's args override the image's ENTRYPOINT.",
            "The ENTRYPOINT is replaced by args in a Pod spec.",
            "컨테이너의 args가 ENTRYPOINT를 대신한다.",
            "인자를 주면 엔트리포인트가 덮어써진다.",
        ],
        [
            "args override CMD, not the ENTRYPOINT.",
            "command replaces the ENTRYPOINT and args replaces CMD.",
            "CMD는 docker run 때 매개변수를 넘기면 덮어씌워지고 없으면 CMD가 실행.",
            "args는 CMD를 대신하고 ENTRYPOINT에 인자로 전달된다.",
        ],
    ),
    "configmap-updates-env-vars": (
        [
            "Updating a ConfigMap updates the environment variables of running pods.",
            "When you change a ConfigMap, env vars in the container change too.",
            "ConfigMap을 수정하면 실행 중인 컨테이너의 환경 변수도 바뀐다.",
            "컨피그맵을 업데이트하면 환경변수가 자동으로 갱신된다.",
        ],
        [
            "Environment variables from a ConfigMap are not updated until the container restarts.",
            "A mounted ConfigMap is updated automatically, env vars are not.",
            "ConfigMap을 바꿔도 환경 변수는 컨테이너를 재시작해야 바뀐다.",
            "볼륨으로 마운트한 ConfigMap은 자동으로 갱신된다.",
        ],
    ),
    "secrets-encrypted-by-default": (
        [
            "Secrets are encrypted by default.",
            "Base64 encrypts the secret values.",
            "Secret은 기본적으로 암호화되어 저장된다.",
            "시크릿 값은 base64로 암호화된다.",
        ],
        [
            "Secrets are only base64-encoded, not encrypted.",
            "Encryption at rest needs an EncryptionConfiguration.",
            "Secret은 기본적으로 암호화되지 않는다.",
            "저장 시 암호화는 EncryptionConfiguration으로 켠다.",
        ],
    ),
    "secret-tls-base64-by-hand": (
        [
            "For kubectl create secret tls you must base64-encode the key first.",
            "Create it with kubectl create secret tls. Remember to base64 encode the key file.",
            "kubectl create secret tls로 만들 때 키는 base64로 인코딩해서 넘겨야 한다.",
            "kubectl create secret tls를 쓴다. 키값은 base64로 인코딩해야 함.",
        ],
        [
            "kubectl create secret tls encodes the files itself; do not base64 encode them.",
            "In a Secret manifest, data values are base64 encoded.",
            "kubectl create secret tls는 키 파일을 알아서 base64로 인코딩한다.",
            "Secret 매니페스트의 data 필드 값은 base64로 인코딩한다.",
        ],
    ),
    "init-containers-parallel": (
        [
            "Init containers run in parallel.",
            "All init containers start at the same time.",
            "init 컨테이너들은 병렬로 실행된다.",
            "초기화 컨테이너는 동시에 실행된다.",
        ],
        [
            "Init containers run one after another, not in parallel.",
            "Each init container must finish before the next one starts.",
            "init 컨테이너는 순서대로 하나씩 실행된다.",
            "init 컨테이너는 동시에 실행되지 않는다.",
        ],
    ),
    "liveness-readiness-swapped": (
        [
            "A failing readiness probe restarts the container.",
            "When the liveness probe fails, the pod is removed from the service endpoints.",
            "readiness probe가 실패하면 컨테이너가 재시작된다.",
            "liveness probe가 실패하면 엔드포인트에서 빠진다.",
        ],
        [
            "A failing liveness probe restarts the container.",
            "A failing readiness probe removes the pod from endpoints.",
            "liveness probe가 실패하면 kubelet이 컨테이너를 재시작한다.",
            "readiness probe가 실패하면 트래픽을 받지 않는다.",
        ],
    ),
    "hpa-adds-nodes": (
        [
            "The HPA adds nodes to the cluster when CPU is high.",
            "A HorizontalPodAutoscaler scales nodes.",
            "HPA는 클러스터에 노드를 추가한다.",
            "HPA가 부하가 높으면 노드를 늘린다.",
        ],
        [
            "The HPA changes the number of replicas.",
            "The cluster autoscaler adds nodes, not the HPA.",
            "HPA는 레플리카 수를 조정한다.",
            "노드를 늘리는 것은 클러스터 오토스케일러다.",
        ],
    ),
    "job-restartpolicy-always": (
        [
            "A Job can use restartPolicy Always.",
            "Set restartPolicy: Always in the Job's pod template.",
            "Job에 restartPolicy: Always를 쓸 수 있다.",
            "Job의 재시작 정책은 Always로 해도 된다.",
        ],
        [
            "A Job cannot use restartPolicy Always.",
            "Jobs use restartPolicy Never or OnFailure.",
            "Job의 restartPolicy는 Never나 OnFailure만 된다.",
            "Job에 Always를 쓰면 거부된다.",
        ],
    ),
    "service-types-swapped": (
        [
            "A ClusterIP service is reachable on every node's IP.",
            "A NodePort service provisions a cloud load balancer.",
            "ClusterIP 서비스는 모든 노드 IP로 접근할 수 있다.",
            "NodePort 서비스는 클라우드 로드밸런서를 만든다.",
        ],
        [
            "A ClusterIP service is only reachable inside the cluster.",
            "A LoadBalancer service also opens a port on every node.",
            "NodePort는 모든 노드의 포트로 서비스를 노출한다.",
            "LoadBalancer 타입은 클라우드 로드밸런서를 만든다.",
        ],
    ),
    "nodeport-any-port": (
        [
            "A NodePort can be any port.",
            "You can pick nodePort 1-65535.",
            "NodePort에는 아무 포트나 쓸 수 있다.",
            "노드포트로 80번 포트를 쓸 수 있다.",
        ],
        [
            "A NodePort comes from the range 30000-32767 by default.",
            "A nodePort outside the range is rejected.",
            "NodePort는 기본 30000-32767 범위에서 고른다.",
            "NodePort 범위 밖의 포트는 거부된다.",
        ],
    ),
    "port-targetport-swapped": (
        [
            "A Service's port is the port the container listens on.",
            "targetPort is the port the service listens on.",
            "서비스의 port는 파드의 포트이다.",
            "targetPort는 서비스가 받는 포트다.",
        ],
        [
            "port is where the Service listens; targetPort is the container's port.",
            "targetPort defaults to port.",
            "port는 서비스가 받는 포트이고 targetPort는 파드 쪽 포트다.",
            "targetPort를 생략하면 port와 같다.",
        ],
    ),
    "selectorless-service-endpoints": (
        [
            "A Service without a selector gets its endpoints automatically.",
            "Services with no selector have endpoints created for you.",
            "selector가 없는 서비스도 엔드포인트가 자동으로 생긴다.",
            "셀렉터 없는 서비스는 엔드포인트를 자동으로 만든다.",
        ],
        [
            "A Service without a selector gets no endpoints; create them yourself.",
            "For a selectorless Service, add EndpointSlices manually.",
            "selector가 없는 서비스는 엔드포인트를 직접 만들어야 한다.",
            "셀렉터가 없으면 엔드포인트가 생기지 않는다.",
        ],
    ),
    "kube-proxy-does-dns": (
        [
            "kube-proxy resolves Service names to IPs.",
            "DNS for services is provided by kube-proxy.",
            "kube-proxy가 서비스 이름을 해석한다.",
            "kube-proxy가 DNS 역할을 한다.",
        ],
        [
            "CoreDNS resolves Service names; kube-proxy does not do DNS.",
            "kube-proxy programs iptables rules for Services.",
            "서비스 이름은 CoreDNS가 해석한다.",
            "kube-proxy는 iptables 규칙을 관리한다.",
        ],
    ),
    "pods-isolated-by-default": (
        [
            "Pod traffic is blocked by default until a NetworkPolicy allows it.",
            "Pods are isolated by default.",
            "파드 트래픽은 기본적으로 차단되어 있다.",
            "네트워크 정책이 없으면 파드는 기본적으로 격리된다.",
        ],
        [
            "Pods are non-isolated by default.",
            "A default-deny policy blocks all ingress to selected pods.",
            "파드는 기본적으로 격리되지 않는다.",
            "정책이 적용되면 선택된 파드는 격리된다.",
        ],
    ),
    "ingress-works-without-controller": (
        [
            "An Ingress works without a controller.",
            "No ingress controller is needed; the Ingress resource is enough.",
            "Ingress 리소스만 만들면 컨트롤러 없이 동작한다.",
            "인그레스는 컨트롤러가 필요 없다.",
        ],
        [
            "An Ingress without a controller has no effect.",
            "You need an ingress controller such as ingress-nginx.",
            "Ingress 컨트롤러가 없으면 Ingress는 동작하지 않는다.",
            "인그레스를 쓰려면 컨트롤러가 필요하다.",
        ],
    ),
    "headless-service-load-balanced": (
        [
            "A headless service is load-balanced by kube-proxy.",
            "Headless Services get a virtual IP like other Services.",
            "headless 서비스도 kube-proxy가 로드밸런싱한다.",
            "헤드리스 서비스는 클러스터 IP로 접근한다.",
        ],
        [
            "A headless service has no cluster IP.",
            "Headless Services are not load-balanced by kube-proxy.",
            "headless 서비스는 cluster IP가 없다.",
            "헤드리스 서비스는 kube-proxy가 다루지 않는다.",
        ],
    ),
    "retain-deletes-volume": (
        [
            "With the Retain policy, the volume is deleted with its claim.",
            "Retain means the PV gets deleted when the PVC is removed.",
            "Retain 정책이면 PVC를 지울 때 볼륨도 함께 삭제된다.",
            "Retain이면 PV가 같이 삭제된다.",
        ],
        [
            "With Retain, the PV stays Released after the claim is deleted.",
            "Retain keeps the data; the administrator reclaims it manually.",
            "Retain 정책이면 PVC를 지워도 PV는 남는다.",
            "Retain은 데이터를 보존한다.",
        ],
    ),
    "delete-policy-keeps-volume": (
        [
            "With the Delete policy, the data is kept after the claim is deleted.",
            "A volume with reclaimPolicy: Delete survives the PVC deletion.",
            "Delete 정책이어도 볼륨 데이터는 남는다.",
            "reclaimPolicy: Delete면 PV는 유지된다.",
        ],
        [
            "With the Delete policy, the PV and its storage are deleted.",
            "Dynamically provisioned volumes default to the Delete policy.",
            "Delete 정책이면 PV와 스토리지가 함께 삭제된다.",
            "동적 프로비저닝 볼륨은 기본으로 Delete 정책이다.",
        ],
    ),
    "readwriteonce-one-pod": (
        [
            "ReadWriteOnce means only one pod can mount the volume.",
            "An RWO volume is limited to a single pod.",
            "ReadWriteOnce는 파드 하나만 마운트할 수 있다.",
            "RWO 볼륨은 한 파드만 쓸 수 있다.",
        ],
        [
            "ReadWriteOnce limits the volume to one node, not one pod.",
            "ReadWriteOncePod restricts a volume to a single pod.",
            "ReadWriteOnce는 한 노드에서만 마운트된다.",
            "파드 하나로 제한하려면 ReadWriteOncePod를 쓴다.",
        ],
    ),
    "emptydir-survives-pod": (
        [
            "emptyDir data survives the pod's deletion.",
            "Data in an emptyDir persists after the pod is removed.",
            "emptyDir의 데이터는 파드가 삭제되어도 남는다.",
            "emptyDir는 파드가 지워져도 보존된다.",
        ],
        [
            "emptyDir data is deleted when the pod is removed.",
            "emptyDir survives container crashes but not pod deletion.",
            "emptyDir는 파드가 삭제되면 같이 사라진다.",
            "emptyDir는 컨테이너가 재시작해도 남지만 파드가 지워지면 없어진다.",
            "emptyDir은 파드가 노드에 있는 동안 유지되고, 파드가 노드에서 삭제될 때 지워진다",
        ],
    ),
    "persistentvolume-namespaced": (
        [
            "PersistentVolumes belong to a namespace.",
            "A PV is namespaced.",
            "PersistentVolume은 네임스페이스에 속한다.",
            "PV는 네임스페이스 단위 리소스다.",
        ],
        [
            "PersistentVolumes are cluster-scoped.",
            "PVs are cluster-scoped while PVCs are namespaced.",
            "PV는 클러스터 범위 리소스다.",
            "PVC는 네임스페이스에 속하고 PV는 그렇지 않다.",
        ],
    ),
    "immediate-binding-waits-for-pod": (
        [
            "With Immediate binding, the volume waits until a pod using the claim is scheduled.",
            "Immediate mode provisions only once the first pod is scheduled.",
            "Immediate 모드는 PVC를 쓰는 파드가 스케줄될 때까지 기다린다.",
            "Immediate이면 사용하는 파드가 생길 때까지 바인딩을 미룬다.",
        ],
        [
            "WaitForFirstConsumer delays binding until a pod using the claim is scheduled.",
            "Immediate binds as soon as the claim is created.",
            "WaitForFirstConsumer는 파드가 스케줄될 때까지 바인딩을 미룬다.",
            "Immediate는 PVC가 생기면 바로 바인딩한다.",
        ],
    ),
    "kubelet-runs-as-pod": (
        [
            "kubeadm runs the kubelet as a static pod.",
            "The kubelet is a pod in kube-system.",
            "kubeadm은 kubelet을 static pod로 실행한다.",
            "kubelet은 파드로 실행된다.",
        ],
        [
            "The kubelet runs as a systemd service, not as a pod.",
            "The kubelet runs the control plane static pods.",
            "kubelet은 systemd 서비스로 실행된다.",
            "kubelet이 static pod를 실행한다.",
        ],
    ),
    "kubeadm-upgrade-skips-minor": (
        [
            "You can skip minor versions when upgrading with kubeadm.",
            "Upgrade directly across several minor versions at once.",
            "kubeadm 업그레이드는 마이너 버전을 건너뛸 수 있다.",
            "업그레이드할 때 두 마이너 버전을 한 번에 올려도 된다.",
        ],
        [
            "Skipping minor versions when upgrading is unsupported.",
            "Upgrade one minor version at a time.",
            "업그레이드는 마이너 버전을 건너뛸 수 없다.",
            "마이너 버전은 하나씩 업그레이드한다.",
        ],
    ),
    "drain-evicts-daemonset-pods": (
        [
            "kubectl drain evicts the DaemonSet pods on the node too.",
            "Draining a node deletes its DaemonSet pods.",
            "kubectl drain은 DaemonSet 파드도 축출한다.",
            "드레인하면 데몬셋 파드가 삭제된다.",
        ],
        [
            "drain needs --ignore-daemonsets and leaves DaemonSet pods running.",
            "kubectl drain evicts pods except DaemonSet pods.",
            "drain은 --ignore-daemonsets를 주면 데몬셋 파드를 그대로 둔다.",
            "drain은 데몬셋 파드를 축출하지 않는다.",
        ],
    ),
    "cordon-evicts-pods": (
        [
            "kubectl cordon evicts the pods running on the node.",
            "Cordoning a node moves its pods elsewhere.",
            "kubectl cordon을 하면 노드의 파드들이 축출된다.",
            "코든하면 파드가 다른 노드로 옮겨진다.",
        ],
        [
            "cordon marks the node unschedulable; running pods stay.",
            "cordon does not evict anything.",
            "cordon은 새 파드만 막는다.",
            "cordon은 파드를 축출하지 않는다.",
        ],
    ),
    "kubeadm-certificates-ten-years": (
        [
            "Certificates generated by kubeadm are valid for 10 years.",
            "The apiserver cert lasts ten years.",
            "kubeadm이 만드는 인증서는 10년 동안 유효하다.",
            "apiserver 인증서는 10년짜리다.",
        ],
        [
            "kubeadm client certificates expire after one year.",
            "Only the CA certificate lasts 10 years.",
            "kubeadm 인증서는 1년 뒤 만료된다.",
            "CA 인증서는 10년 동안 유효하다.",
        ],
    ),
    "crashloop-imagepull-swapped": (
        [
            "CrashLoopBackOff means the image cannot be pulled.",
            "ImagePullBackOff means the container keeps crashing.",
            "CrashLoopBackOff는 이미지를 받아 오지 못한다는 뜻이다.",
            "ImagePullBackOff는 컨테이너가 계속 죽는 상태다.",
        ],
        [
            "CrashLoopBackOff means the container keeps crashing.",
            "ImagePullBackOff means the image cannot be pulled.",
            "CrashLoopBackOff는 컨테이너가 계속 재시작되는 상태다.",
            "ErrImagePull은 이미지를 받아 오지 못한 상태다.",
        ],
    ),
    "etcd-even-members-tolerate-more": (
        [
            "An etcd cluster of four members tolerates two failures.",
            "With 4 etcd members you can lose 2.",
            "etcd 멤버가 4개면 2개가 죽어도 버틴다.",
            "etcd 4대는 2대 장애를 견딘다.",
        ],
        [
            "Four etcd members tolerate only one failure.",
            "A three-member etcd cluster tolerates one failure.",
            "etcd 멤버 3개는 1개 장애를 견딘다.",
            "etcd는 홀수 개 멤버를 권장한다.",
        ],
    ),
    "ebs-fast-snapshot-restore-speeds-snapshots": (
        [
            "Fast snapshot restore lets you take EBS snapshots faster.",
            "Enable FSR to speed up snapshot creation.",
            "fast snapshot restore를 쓰면 스냅샷을 빨리 찍을 수 있다.",
            "FSR로 스냅샷 생성이 빨라진다.",
        ],
        [
            "Volumes restored from an FSR-enabled snapshot are fully initialized at creation.",
            "Fast snapshot restore does not make taking snapshots faster.",
            "FSR을 켠 스냅샷으로 만든 볼륨은 바로 제 성능을 낸다.",
            "fast snapshot restore는 볼륨 초기화 지연을 없앤다.",
        ],
    ),
    "ebs-volume-any-az": (
        [
            "An EBS volume can be attached to an instance in another AZ.",
            "EBS volumes are replicated across availability zones.",
            "EBS 볼륨은 다른 가용 영역의 인스턴스에도 붙일 수 있다.",
            "EBS는 여러 AZ에 걸쳐 복제된다.",
        ],
        [
            "An EBS volume can only attach to instances in the same AZ.",
            "To move a volume to another AZ, create it from a snapshot.",
            "EBS 볼륨은 같은 가용 영역의 인스턴스에만 붙는다.",
            "다른 AZ로 옮기려면 스냅샷으로 새 EBS 볼륨을 만든다.",
        ],
    ),
    "ebs-multi-attach-any-type": (
        [
            "Multi-Attach works with gp3 volumes.",
            "You can enable Multi-Attach on any volume type.",
            "Multi-Attach는 gp3에서도 쓸 수 있다.",
            "멀티 어태치는 모든 볼륨 유형에서 된다.",
        ],
        [
            "Multi-Attach is only for io1 and io2 volumes.",
            "Multi-Attach is not available for gp3.",
            "Multi-Attach는 io1과 io2에서만 쓸 수 있다.",
            "Multi-Attach는 gp3에서 지원되지 않는다.",
        ],
    ),
    "ebs-snapshots-full-copies": (
        [
            "Every EBS snapshot is a full copy of the volume.",
            "EBS snapshots are full backups each time.",
            "EBS 스냅샷은 매번 볼륨 전체를 복사한다.",
            "스냅샷은 항상 전체 백업이다.",
        ],
        [
            "EBS snapshots are incremental.",
            "Only the first snapshot is a full copy.",
            "스냅샷은 바뀐 블록만 저장한다.",
            "첫 번째 스냅샷만 전체를 복사한다.",
        ],
    ),
    "datasync-real-time-replication": (
        [
            "DataSync replicates data in near real time.",
            "AWS DataSync keeps two file systems continuously in sync.",
            "AWS DataSync는 거의 실시간으로 데이터를 복제한다.",
            "DataSync로 데이터 복제를 한다. 실시간(real time)임.",
        ],
        [
            "DataSync runs scheduled transfer tasks, at most hourly.",
            "DataSync is not continuous replication.",
            "DataSync 작업은 최소 1시간 간격으로 예약할 수 있다.",
            "Kinesis는 실시간 스트리밍에 쓴다.",
        ],
    ),
    "sns-sqs-swapped": (
        [
            "SQS pushes messages to all subscribers.",
            "SNS stores messages until a consumer polls them.",
            "SQS가 구독자에게 메시지를 푸시한다.",
            "SNS는 소비자가 폴링할 때까지 메시지를 보관한다.",
        ],
        [
            "SNS pushes messages to subscribers; SQS consumers poll.",
            "An SQS queue can subscribe to an SNS topic.",
            "SNS에서 토픽 생성.",
            "SQS는 소비자가 폴링해서 메시지를 가져간다.",
        ],
    ),
    "sqs-standard-ordered-exactly-once": (
        [
            "SQS standard queues deliver messages exactly once.",
            "A standard queue guarantees order.",
            "SQS 표준 큐는 순서를 보장한다.",
            "standard 큐는 메시지를 정확히 한 번 전달한다.",
        ],
        [
            "Standard queues do not guarantee order; use FIFO.",
            "FIFO queues provide exactly-once processing.",
            "표준 큐는 순서를 보장하지 않는다.",
            "FIFO 큐는 순서를 보장한다.",
        ],
    ),
    "dax-caches-strong-reads": (
        [
            "DAX serves strongly consistent reads from its cache.",
            "DAX caches strongly consistent reads.",
            "DAX는 강력한 일관성 읽기도 캐시한다.",
            "DAX는 강한 일관성 읽기를 캐시에서 응답한다.",
        ],
        [
            "DAX passes strongly consistent reads through to DynamoDB.",
            "DAX caches eventually consistent reads.",
            "DAX는 강력한 일관성 읽기를 DynamoDB로 그대로 넘긴다.",
            "DAX는 최종 일관성 읽기를 캐시한다.",
        ],
    ),
    "aurora-global-synchronous": (
        [
            "Aurora Global Database replicates synchronously to other regions.",
            "An Aurora global database has no replication lag.",
            "Aurora Global Database는 보조 리전에 동기식으로 복제한다.",
            "Aurora Global Database는 지연 없이 복제한다.",
        ],
        [
            "Aurora Global Database replicates asynchronously, usually under a second.",
            "Secondary clusters of a global database are read-only.",
            "Aurora Global Database는 비동기로 복제한다.",
            "Aurora Global Database는 여러 리전에 DB 클러스터를 구성.",
        ],
    ),
    "aurora-replicas-accept-writes": (
        [
            "Aurora Replicas accept writes.",
            "You can send write traffic to an Aurora Replica.",
            "Aurora 복제본도 쓰기를 받는다.",
            "오로라 복제본에 쓰기를 보낼 수 있다.",
        ],
        [
            "Aurora Replicas are read-only.",
            "Only the writer instance accepts writes; Aurora Replicas serve reads.",
            "Aurora 복제본은 읽기 전용이다.",
            "Aurora 복제본은 읽기만 처리한다.",
        ],
    ),
    "kinesis-records-deleted-when-read": (
        [
            "Kinesis deletes a record once a consumer reads it.",
            "A Kinesis stream supports only one consumer per record.",
            "Kinesis는 소비자가 읽으면 삭제한다.",
            "키네시스 레코드는 한 소비자만 읽을 수 있다.",
        ],
        [
            "Kinesis keeps records for the retention period.",
            "Several consumers can read the same Kinesis records.",
            "Kinesis 레코드는 보존 기간 동안 남는다.",
            "여러 소비자가 같은 Kinesis 레코드를 읽을 수 있다.",
        ],
    ),
    "lambda-runs-for-hours": (
        [
            "A Lambda function can run for hours.",
            "Lambda has no time limit.",
            "Lambda 함수는 몇 시간 동안 실행될 수 있다.",
            "람다는 1시간까지 실행된다.",
        ],
        [
            "A Lambda invocation times out after at most 15 minutes.",
            "Lambda cannot run for hours.",
            "Lambda는 최대 15분까지 실행된다.",
            "람다의 최대 실행 시간은 900초다.",
        ],
    ),
    "snowball-over-internet": (
        [
            "Snowball sends the data to AWS over the internet.",
            "Snowball is an online transfer service.",
            "Snowball은 인터넷으로 데이터를 보낸다.",
            "스노우볼은 네트워크를 통해 데이터를 옮긴다.",
        ],
        [
            "Snowball is a physical device shipped to AWS.",
            "Snowball does not transfer over the internet.",
            "Snowball은 장비를 배송해 데이터를 옮긴다.",
            "Snowball은 인터넷으로 보내지 않는다.",
        ],
    ),
    "alb-nlb-layers-swapped": (
        [
            "An Application Load Balancer works at layer 4.",
            "A Network Load Balancer routes by HTTP path.",
            "ALB는 4계층에서 동작한다.",
            "NLB는 경로 기반 라우팅을 한다.",
        ],
        [
            "An ALB works at layer 7.",
            "An NLB works at layer 4 and can have static IPs.",
            "ALB는 경로 기반 라우팅을 지원한다.",
            "NLB는 4계층에서 동작한다.",
        ],
    ),
    "dynamodb-query-scan-swapped": (
        [
            "A DynamoDB Query reads every item in the table.",
            "A Scan finds items by partition key.",
            "Query는 테이블의 모든 항목을 읽는다.",
            "Scan은 파티션 키로 항목을 찾는다.",
        ],
        [
            "A Query reads the items of one partition key.",
            "A Scan reads every item in the table.",
            "Query는 파티션 키 값으로 항목을 찾는다.",
            "Scan은 테이블 전체를 읽는다.",
        ],
    ),
}
