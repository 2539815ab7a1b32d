package dev.unlearning.install;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.marcnuri.helm.Helm;
import dev.unlearning.api.UnlearningMethod;
import dev.unlearning.operator.OperatorMetrics;
import dev.unlearning.testcluster.ProjectPaths;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chart's Grafana dashboard and alerts query only what the operator really exports: every metric a query
 * names must appear in a Prometheus scrape of the operator's own meters (registered the way the reconcilers
 * register them), so a renamed or dropped metric breaks this test instead of a dashboard.
 */
class DashboardQueriesTest {

    static final Pattern METRIC = Pattern.compile("\\bunlearning_[a-z0-9_]+\\b");
    static Set<String> exported;
    static String rendered;

    @BeforeAll
    static void scrapeAndRender() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        OperatorMetrics metrics = new OperatorMetrics(registry);
        Instant now = Instant.parse("2026-11-30T12:00:00Z");
        metrics.request("completed", "uid-1", 1);
        metrics.requestOpen("uid-2", "ml", "forget-b", "Unlearning", now.plusSeconds(3600));
        metrics.requestEnded("uid-1", "completed", now.minusSeconds(120), now);
        metrics.run("model/u1", UnlearningMethod.EXACT, "published");
        metrics.jobFinished("fm-train-1", "train", true, now.minusSeconds(60).toString(), now);
        metrics.model("ml", "fm", 2, false);
        exported = registry.scrape().lines().filter(l -> !l.startsWith("#") && !l.isBlank())
                .map(l -> l.replaceFirst("[{ ].*", "")).collect(Collectors.toCollection(TreeSet::new));
        rendered = new Helm(ProjectPaths.root().resolve("helm/unlearning-operator")).template().withName("uo")
                .withNamespace("unlearning-system").withKubeVersion("1.34.4")
                .set("metrics.grafanaDashboard.enabled", true).set("metrics.prometheusRule.enabled", true).call();
    }

    @Test
    void everyDashboardQueryNamesAnExportedMetric() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(Files.readString(ProjectPaths.root()
                .resolve("helm/unlearning-operator/dashboards/unlearning-operator.json")));
        List<String> queries = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            assertThat(panel.path("targets")).as("panel %s", panel.path("title").asText()).isNotEmpty();
            panel.path("targets").forEach(t -> queries.add(t.path("expr").asText()));
        }
        Set<String> named = metricsIn(queries);
        assertThat(named).as("what a platform team looks at").contains("unlearning_request_duration_seconds_bucket",
                "unlearning_requests_open", "unlearning_runs_total", "unlearning_job_duration_seconds_sum",
                "unlearning_model_serving_version", "unlearning_request_deadline_seconds");
        assertThat(exported).containsAll(named);
    }

    @Test
    void everyAlertQueriesAnExportedMetricAndTheChartShipsBoth() {
        List<GenericKubernetesResource> objects = new ArrayList<>();
        for (String doc : rendered.split("(?m)^---$")) {
            if (doc.contains("kind:")) {
                objects.add(Serialization.unmarshal(doc, GenericKubernetesResource.class));
            }
        }
        GenericKubernetesResource rule = objects.stream().filter(o -> "PrometheusRule".equals(o.getKind()))
                .findFirst().orElseThrow();
        List<String> alerts = new ArrayList<>();
        List<String> exprs = new ArrayList<>();
        for (Object group : (List<?>) ((java.util.Map<?, ?>) rule.getAdditionalProperties().get("spec")).get("groups")) {
            for (Object r : (List<?>) ((java.util.Map<?, ?>) group).get("rules")) {
                alerts.add(String.valueOf(((java.util.Map<?, ?>) r).get("alert")));
                exprs.add(String.valueOf(((java.util.Map<?, ?>) r).get("expr")));
            }
        }
        assertThat(alerts).contains("UnlearningRequestNearDeadline", "UnlearningRunFailed", "ShardedModelDegraded");
        assertThat(exported).containsAll(metricsIn(exprs));
        assertThat(metricsIn(exprs)).isNotEmpty();

        GenericKubernetesResource dashboard = objects.stream().filter(o -> "ConfigMap".equals(o.getKind())
                && o.getMetadata().getName().endsWith("-dashboard")).findFirst().orElseThrow();
        assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
        assertThat(String.valueOf(dashboard.getAdditionalProperties().get("data")))
                .contains("unlearning_requests_open");
    }

    @Test
    void aRequestDeletedBeforeItEndedLeavesTheQueueAndItsDeadlineGaugeGoes() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        OperatorMetrics metrics = new OperatorMetrics(registry);
        Instant deadline = Instant.parse("2026-12-31T00:00:00Z");
        metrics.requestOpen("uid-a", "ml", "a", "Queued", deadline);
        metrics.requestOpen("uid-b", "ml", "b", "Queued", deadline);
        assertThat(registry.get("unlearning.requests.open").tag("phase", "Queued").gauge().value()).isEqualTo(2);
        metrics.retainOpenRequests(Set.of("uid-b"));
        assertThat(registry.get("unlearning.requests.open").tag("phase", "Queued").gauge().value()).isEqualTo(1);
        assertThat(registry.find("unlearning.request.deadline").gauges()).singleElement()
                .satisfies(g -> assertThat(g.getId().getTag("request")).isEqualTo("b"));
    }

    private static Set<String> metricsIn(List<String> queries) {
        Set<String> names = new TreeSet<>();
        for (String query : queries) {
            Matcher m = METRIC.matcher(query);
            while (m.find()) {
                names.add(m.group());
            }
        }
        return names;
    }
}
