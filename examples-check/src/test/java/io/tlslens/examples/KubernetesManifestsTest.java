package io.tlslens.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.openshift.api.model.monitoring.v1.Endpoint;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.Rule;
import io.fabric8.openshift.api.model.monitoring.v1.RuleGroup;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.tlslens.config.ConfigLoader;
import io.tlslens.config.TlslensSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * examples/kubernetes parsed into fabric8 kubernetes-model types (ServiceMonitor and PrometheusRule with the
 * Prometheus Operator model, openshift-model-monitoring). fabric8's types keep unknown fields in
 * {@code additionalProperties} instead of rejecting them, so every object of the parsed tree is walked and any
 * non-empty {@code additionalProperties} (a misspelt or misplaced key) fails the test. Then the sidecar's
 * probes, security context, mounts and the cross-references between the objects are checked, the
 * PrometheusRule's groups are compared with examples/prometheus/tlslens-alerts.yml, and the ConfigMap's
 * tlslens configuration is loaded with tlslens' own loader.
 */
class KubernetesManifestsTest {
    static final Path EXAMPLES = examplesDir();
    static final Path K8S = EXAMPLES.resolve("kubernetes");
    static final YAMLMapper YAML = new YAMLMapper();

    @TempDir
    Path tmp;

    static <T> T parse(String file, Class<T> type) throws Exception {
        T value = YAML.readValue(K8S.resolve(file).toFile(), type);
        assertThat(unknownFields(value)).as("unknown fields in %s (as %s)", file, type.getSimpleName()).isEmpty();
        return value;
    }

    @Test
    void unknownFieldDetectionWorks() throws Exception {
        Container c = YAML.readValue("name: x\nimage: y\nreadinesProbe: {httpGet: {path: /readyz, port: 1}}\n",
                Container.class);
        assertThat(unknownFields(c)).containsExactly("$.readinesProbe");
        Deployment d = YAML.readValue("apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n"
                + "      containers:\n        - name: a\n          securityContext: {readOnlyRootFileSystem: true}\n",
                Deployment.class);
        assertThat(unknownFields(d)).containsExactly("$.spec.template.spec.containers[0].securityContext.readOnlyRootFileSystem");
    }

    @Test
    void deploymentRunsTheSidecarSafely() throws Exception {
        Deployment d = parse("deployment.yaml", Deployment.class);
        assertThat(d.getApiVersion()).isEqualTo("apps/v1");
        assertThat(d.getKind()).isEqualTo("Deployment");
        assertThat(d.getMetadata().getName()).isNotBlank();
        assertThat(d.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(d.getSpec().getSelector().getMatchLabels());
        PodSpec pod = d.getSpec().getTemplate().getSpec();
        assertThat(pod.getContainers()).extracting(Container::getName).containsExactlyInAnyOrder("backend", "tlslens");
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();

        Container backend = container(pod, "backend");
        assertThat(backend.getPorts()).extracting(ContainerPort::getContainerPort).contains(8080);

        Container t = container(pod, "tlslens");
        assertThat(t.getImage()).isNotBlank();
        assertThat(port(t, "https")).isEqualTo(8443);
        assertThat(port(t, "admin")).isEqualTo(9464);
        assertThat(t.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
        assertThat(t.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("admin");
        assertThat(t.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
        assertThat(t.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("admin");
        assertThat(t.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(t.getResources().getLimits()).containsKey("memory");
        var sc = t.getSecurityContext();
        assertThat(sc.getRunAsNonRoot()).isTrue();
        assertThat(sc.getRunAsUser()).isPositive();
        assertThat(sc.getReadOnlyRootFilesystem()).isTrue();
        assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
        assertThat(sc.getCapabilities().getDrop()).contains("ALL");

        VolumeMount tls = mount(t, "/etc/tlslens/tls");
        VolumeMount config = mount(t, "/etc/tlslens/config");
        VolumeMount tmpMount = mount(t, "/tmp");
        assertThat(tls.getReadOnly()).isTrue();
        assertThat(config.getReadOnly()).isTrue();
        assertThat(t.getVolumeMounts()).as("no subPath: Secret/ConfigMap updates must reach the files")
                .allSatisfy(m -> assertThat(m.getSubPath()).isNull());
        assertThat(volume(pod, tls.getName()).getSecret().getSecretName()).isNotBlank();
        ConfigMap cm = parse("configmap.yaml", ConfigMap.class);
        assertThat(volume(pod, config.getName()).getConfigMap().getName()).isEqualTo(cm.getMetadata().getName());
        assertThat(volume(pod, tmpMount.getName()).getEmptyDir()).isNotNull();
        assertThat(t.getArgs()).containsSubsequence("--config", "/etc/tlslens/config/tlslens.conf");
        assertThat(cm.getData()).containsKey("tlslens.conf");
        assertThat(pod.getTerminationGracePeriodSeconds()).isGreaterThan(20L);
    }

    @Test
    void configMapHoldsAConfigurationTlslensAccepts() throws Exception {
        ConfigMap cm = parse("configmap.yaml", ConfigMap.class);
        assertThat(cm.getApiVersion()).isEqualTo("v1");
        String conf = cm.getData().get("tlslens.conf");
        // the Secret's files, as a kubernetes.io/tls Secret names them, replaced by a real pair
        assertThat(conf).contains("/etc/tlslens/tls/tls.crt").contains("/etc/tlslens/tls/tls.key");
        TlslensSettings s = loadWithTestCertificate(conf, "/etc/tlslens/tls/tls.crt", "/etc/tlslens/tls/tls.key");
        assertThat(s.toString()).contains("0.0.0.0:9464").contains("0.0.0.0:8443").contains("127.0.0.1:8080");
    }

    @Test
    void composeConfigurationIsAcceptedToo() throws Exception {
        String conf = Files.readString(EXAMPLES.resolve("compose/tlslens.conf"));
        TlslensSettings s = loadWithTestCertificate(conf, "/etc/tlslens/tls/tls.crt", "/etc/tlslens/tls/tls.key");
        assertThat(s.toString()).contains("0.0.0.0:9464").contains("0.0.0.0:8443");
    }

    /** Loads {@code conf} with tlslens' loader, the certificate and key paths pointing at a generated pair. */
    private TlslensSettings loadWithTestCertificate(String conf, String certPath, String keyPath) throws Exception {
        ConfigLoader.embeddedDefault(tmp); // writes tlslens-localhost.pem / .key
        String local = conf.replace(certPath, tmp.resolve("tlslens-localhost.pem").toString())
                .replace(keyPath, tmp.resolve("tlslens-localhost.key").toString());
        Path file = tmp.resolve("tlslens.conf");
        Files.writeString(file, local);
        return ConfigLoader.load(file);
    }

    @Test
    void serviceExposesTheSidecarPorts() throws Exception {
        Service svc = parse("service.yaml", Service.class);
        Deployment d = parse("deployment.yaml", Deployment.class);
        assertThat(svc.getApiVersion()).isEqualTo("v1");
        assertThat(d.getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(svc.getSpec().getSelector());
        Container t = container(d.getSpec().getTemplate().getSpec(), "tlslens");
        for (ServicePort p : svc.getSpec().getPorts()) {
            assertThat(port(t, p.getTargetPort().getStrVal())).as("targetPort %s", p.getTargetPort()).isNotNull();
        }
        assertThat(svc.getSpec().getPorts()).extracting(ServicePort::getName).contains("https", "admin");
    }

    @Test
    void serviceMonitorScrapesTheAdminPort() throws Exception {
        ServiceMonitor sm = parse("servicemonitor.yaml", ServiceMonitor.class);
        Service svc = parse("service.yaml", Service.class);
        assertThat(sm.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(sm.getKind()).isEqualTo("ServiceMonitor");
        assertThat(sm.getMetadata().getName()).isNotBlank();
        assertThat(svc.getMetadata().getLabels()).containsAllEntriesOf(sm.getSpec().getSelector().getMatchLabels());
        assertThat(sm.getSpec().getEndpoints()).isNotEmpty();
        Endpoint e = sm.getSpec().getEndpoints().get(0);
        assertThat(e.getPort()).isEqualTo("admin");
        assertThat(svc.getSpec().getPorts()).extracting(ServicePort::getName).contains(e.getPort());
        assertThat(e.getPath()).isEqualTo("/metrics");
    }

    @Test
    void prometheusRuleEmbedsExactlyTheAlertRulesFile() throws Exception {
        PrometheusRule pr = parse("prometheusrule.yaml", PrometheusRule.class);
        assertThat(pr.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(pr.getKind()).isEqualTo("PrometheusRule");
        assertThat(pr.getMetadata().getName()).isNotBlank();
        assertThat(pr.getSpec().getGroups()).isNotEmpty();
        for (RuleGroup g : pr.getSpec().getGroups()) {
            assertThat(g.getName()).isNotBlank();
            for (Rule r : g.getRules()) {
                assertThat(r.getAlert()).isNotBlank();
                assertThat(r.getExpr().getStrVal()).isNotBlank();
                assertThat(r.getAnnotations()).containsKeys("summary", "description");
                assertThat(r.getLabels()).containsKey("severity");
            }
        }
        JsonNode embedded = YAML.readTree(K8S.resolve("prometheusrule.yaml").toFile()).path("spec").path("groups");
        JsonNode file = YAML.readTree(EXAMPLES.resolve("prometheus/tlslens-alerts.yml").toFile()).path("groups");
        assertThat(file.isArray() && file.size() > 0).isTrue();
        assertThat(embedded).as("prometheusrule.yaml spec.groups vs tlslens-alerts.yml groups").isEqualTo(file);
    }

    private static Container container(PodSpec pod, String name) {
        return pod.getContainers().stream().filter(c -> c.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no container " + name));
    }

    private static Integer port(Container c, String name) {
        return c.getPorts().stream().filter(p -> name.equals(p.getName())).map(ContainerPort::getContainerPort)
                .findFirst().orElse(null);
    }

    private static VolumeMount mount(Container c, String path) {
        return c.getVolumeMounts().stream().filter(m -> m.getMountPath().equals(path)).findFirst()
                .orElseThrow(() -> new AssertionError("container " + c.getName() + " mounts nothing at " + path));
    }

    private static Volume volume(PodSpec pod, String name) {
        return pod.getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name));
    }

    /** @return JSON-path-like locations of every non-empty {@code additionalProperties} in a fabric8 object tree */
    static List<String> unknownFields(Object root) throws Exception {
        List<String> out = new ArrayList<>();
        walk(root, "$", out, new IdentityHashMap<>());
        return out;
    }

    private static void walk(Object o, String path, List<String> out, IdentityHashMap<Object, Boolean> seen)
            throws Exception {
        if (o == null || seen.put(o, Boolean.TRUE) != null) {
            return;
        }
        if (o instanceof Collection<?> c) {
            int i = 0;
            for (Object e : c) {
                walk(e, path + "[" + i++ + "]", out, seen);
            }
            return;
        }
        if (o instanceof Map<?, ?> m) {
            for (var e : m.entrySet()) {
                walk(e.getValue(), path + "." + e.getKey(), out, seen);
            }
            return;
        }
        if (!o.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Method g : o.getClass().getMethods()) {
            if (g.getParameterCount() != 0 || Modifier.isStatic(g.getModifiers()) || !g.getName().startsWith("get")
                    || g.getDeclaringClass() == Object.class) {
                continue;
            }
            Object v = g.invoke(o);
            if (g.getName().equals("getAdditionalProperties")) {
                if (v instanceof Map<?, ?> extra) {
                    extra.keySet().forEach(k -> out.add(path + "." + k));
                }
                continue;
            }
            String prop = Character.toLowerCase(g.getName().charAt(3)) + g.getName().substring(4);
            walk(v, path + "." + prop, out, seen);
        }
    }

    static Path examplesDir() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("examples/kubernetes"))) {
                return p.resolve("examples");
            }
        }
        throw new AssertionError("examples/ not found above " + Path.of("").toAbsolutePath());
    }
}
