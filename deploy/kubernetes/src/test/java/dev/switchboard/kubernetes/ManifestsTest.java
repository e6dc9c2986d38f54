package dev.switchboard.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.switchboard.schemas.topics.Party;
import dev.switchboard.schemas.topics.Topic;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kubectl only parses YAML; these checks catch what would break in a cluster: a resource kind or API version
 * that does not exist, topics that drifted from the catalogue, probes on paths the services do not serve,
 * a KEDA consumer group that is not the service's group.id, a kustomization that misses a file.
 */
class ManifestsTest {
    private static final Path MODULE = Path.of("").toAbsolutePath();
    private static final Path BASE = MODULE.resolve("base");
    private static final Path ROOT = MODULE.getParent().getParent();
    private static final List<String> SERVICES = List.of("context-gateway", "transcript-service", "call-controller", "agent-worker");
    private static final Set<String> KNOWN_KINDS = Set.of(
            "v1/Namespace", "v1/Secret", "v1/ConfigMap", "v1/Service", "apps/v1/Deployment", "networking.k8s.io/v1/Ingress",
            "kafka.strimzi.io/v1/Kafka", "kafka.strimzi.io/v1/KafkaNodePool", "kafka.strimzi.io/v1/KafkaTopic",
            "kafka.strimzi.io/v1/KafkaUser",
            "postgresql.cnpg.io/v1/Cluster", "keda.sh/v1alpha1/ScaledObject", "keda.sh/v1alpha1/TriggerAuthentication");

    private static List<JsonNode> resources;

    @BeforeAll
    static void load() throws IOException {
        resources = new ArrayList<>();
        try (Stream<Path> files = Files.list(BASE)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml") && !f.endsWith("kustomization.yaml")).sorted().toList()) {
                resources.addAll(documents(Files.readString(file)));
            }
        }
    }

    @Test
    void kafkaTopicsAreTheCatalogue() throws IOException {
        Path file = BASE.resolve("kafka-topics.yaml");
        String expected = KafkaTopicManifests.render();
        if (Boolean.getBoolean("switchboard.regenerate")) {
            Files.writeString(file, expected);
        }
        assertThat(Files.readString(file)).as("base/kafka-topics.yaml is out of date; regenerate: mvn -pl deploy/kubernetes test -Dswitchboard.regenerate=true")
                .isEqualTo(expected);
        List<JsonNode> topics = ofKind("KafkaTopic");
        assertThat(topics).extracting(t -> t.at("/spec/topicName").asText())
                .containsExactlyInAnyOrderElementsOf(Arrays.stream(Topic.values()).map(Topic::topicName).toList());
        for (JsonNode topic : topics) {
            assertThat(topic.at("/metadata/labels/strimzi.io~1cluster").asText()).isEqualTo(ofKind("Kafka").getFirst().at("/metadata/name").asText());
        }
    }

    @Test
    void everyResourceIsAKnownKindAndListedInTheKustomization() throws IOException {
        for (JsonNode resource : resources) {
            assertThat(resource.path("apiVersion").asText() + "/" + resource.path("kind").asText()).isIn(KNOWN_KINDS);
            assertThat(resource.at("/metadata/name").asText()).matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");
        }
        JsonNode kustomization = documents(Files.readString(BASE.resolve("kustomization.yaml"))).getFirst();
        Set<String> listed = new java.util.HashSet<>();
        kustomization.path("resources").forEach(r -> listed.add(r.asText()));
        try (Stream<Path> files = Files.list(BASE)) {
            assertThat(files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".yaml") && !n.equals("kustomization.yaml")))
                    .allMatch(listed::contains);
        }
    }

    @Test
    void kafkaUsersAreTheCatalogue() throws IOException {
        Path file = BASE.resolve("kafka-users.yaml");
        String expected = KafkaUserManifests.render();
        if (Boolean.getBoolean("switchboard.regenerate")) {
            Files.writeString(file, expected);
        }
        assertThat(Files.readString(file)).as("base/kafka-users.yaml is out of date; regenerate: mvn -pl deploy/kubernetes test -Dswitchboard.regenerate=true")
                .isEqualTo(expected);
        // Read back from the YAML, every party may write and read exactly what the catalogue says, nothing more.
        for (Party party : Party.values()) {
            JsonNode user = named("KafkaUser", KafkaUserManifests.user(party));
            assertThat(user.at("/metadata/labels/strimzi.io~1cluster").asText()).isEqualTo(ofKind("Kafka").getFirst().at("/metadata/name").asText());
            for (Topic topic : Topic.values()) {
                boolean writes = topic.producers().contains(party)
                        || (party.isSwitchboardService() && topic.deadLetterOf().map(o -> o.consumers().contains(party)).orElse(false));
                boolean reads = topic.consumers().contains(party);
                Set<String> allowed = allowed(user, "topic", topic.topicName());
                assertThat(allowed.contains("Write")).as("%s may write %s", party, topic.topicName()).isEqualTo(writes);
                assertThat(allowed.contains("Read")).as("%s may read %s", party, topic.topicName()).isEqualTo(reads);
            }
            user.at("/spec/authorization/acls").forEach(acl -> assertThat(acl.at("/resource/type").asText())
                    .as("%s: only its topics and its groups", party).isIn("topic", "group"));
        }
    }

    @Test
    void everyConsumerGroupOfAServiceIsCoveredByItsKafkaUser() throws IOException {
        for (String service : SERVICES) {
            Party party = Arrays.stream(Party.values()).filter(p -> p.id().equals(service)).findFirst().orElseThrow();
            JsonNode user = named("KafkaUser", KafkaUserManifests.user(party));
            Properties config = applicationProperties(service);
            List<String> groups = config.stringPropertyNames().stream().filter(k -> k.endsWith(".group.id")).map(config::getProperty).toList();
            assertThat(groups).as("%s has consumer groups", service).isNotEmpty();
            for (String group : groups) {
                // "agent-worker-${switchboard.worker.id}": what is fixed before the placeholder must match the ACL's prefix
                String fixed = group.contains("${") ? group.substring(0, group.indexOf("${")) : group;
                assertThat(readableGroupPrefixes(user)).as("%s group %s", service, group).anyMatch(fixed::startsWith);
            }
        }
    }

    @Test
    void everyServiceReachesKafkaOverTlsAsItsOwnKafkaUser() {
        JsonNode kafka = ofKind("Kafka").getFirst();
        JsonNode scram = listener(kafka, "scram-sha-512");
        assertThat(scram.path("tls").asBoolean()).as("SCRAM only over TLS").isTrue();
        assertThat(kafka.at("/spec/kafka/listeners").findValues("authentication")).as("no listener without authentication")
                .hasSize(kafka.at("/spec/kafka/listeners").size());
        assertThat(kafka.at("/spec/kafka/authorization/type").asText()).isEqualTo("simple");
        String bootstrap = kafka.at("/metadata/name").asText() + "-kafka-bootstrap:" + scram.path("port").asInt();
        String clusterCa = kafka.at("/metadata/name").asText() + "-cluster-ca-cert";
        for (String service : SERVICES) {
            JsonNode pod = named("Deployment", service).at("/spec/template/spec");
            JsonNode container = pod.at("/containers/0");
            Map<String, String> env = env(container);
            assertThat(env).containsEntry("KAFKA_BOOTSTRAP_SERVERS", bootstrap).containsEntry("KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
                    .containsEntry("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512").containsEntry("KAFKA_SSL_TRUSTSTORE_TYPE", "PEM");
            String user = KafkaUserManifests.USER_PREFIX + service;
            assertThat(named("KafkaUser", user).at("/spec/authentication/type").asText()).isEqualTo("scram-sha-512");
            assertThat(secretRefs(container)).as(service).contains("KAFKA_SASL_JAAS_CONFIG<-" + user + "/sasl.jaas.config");
            // the truststore file is the cluster CA's certificate, mounted from Strimzi's Secret
            String truststore = env.get("KAFKA_SSL_TRUSTSTORE_LOCATION");
            JsonNode mount = find(container.path("volumeMounts"), m -> truststore.startsWith(m.path("mountPath").asText() + "/"));
            JsonNode volume = find(pod.path("volumes"), v -> v.path("name").asText().equals(mount.path("name").asText()));
            assertThat(volume.at("/secret/secretName").asText()).isEqualTo(clusterCa);
            assertThat(truststore).endsWith("/ca.crt");
        }
    }

    @Test
    void kedaReadsTheLagWithItsOwnCertificate() {
        JsonNode kafka = ofKind("Kafka").getFirst();
        String bootstrap = kafka.at("/metadata/name").asText() + "-kafka-bootstrap:" + listener(kafka, "tls").path("port").asInt();
        JsonNode keda = named("KafkaUser", KafkaUserManifests.KEDA_USER);
        assertThat(keda.at("/spec/authentication/type").asText()).isEqualTo("tls");
        for (JsonNode scaled : ofKind("ScaledObject")) {
            JsonNode trigger = scaled.at("/spec/triggers/0");
            assertThat(trigger.at("/metadata/bootstrapServers").asText()).isEqualTo(bootstrap);
            assertThat(trigger.at("/metadata/tls").asText()).isEqualTo("enable");
            JsonNode auth = named("TriggerAuthentication", trigger.at("/authenticationRef/name").asText());
            assertThat(auth.at("/spec/secretTargetRef").findValuesAsText("name")).contains(KafkaUserManifests.KEDA_USER);
            assertThat(allowed(keda, "topic", trigger.at("/metadata/topic").asText())).contains("Describe");
            assertThat(allowed(keda, "group", trigger.at("/metadata/consumerGroup").asText())).contains("Describe");
        }
    }

    @Test
    void everyServiceRunsWithProbesOnItsHealthEndpointsAndTheBrokerAddress() {
        JsonNode kafka = ofKind("Kafka").getFirst();
        String bootstrap = kafka.at("/metadata/name").asText() + "-kafka-bootstrap:" + listener(kafka, "scram-sha-512").path("port").asInt();
        for (String service : SERVICES) {
            JsonNode deployment = named("Deployment", service);
            JsonNode container = deployment.at("/spec/template/spec/containers/0");
            assertThat(container.at("/startupProbe/httpGet/path").asText()).isEqualTo("/q/health/started");
            assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/q/health/ready");
            assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/q/health/live");
            Map<String, String> env = env(container);
            assertThat(env).containsEntry("KAFKA_BOOTSTRAP_SERVERS", bootstrap).containsEntry("QUARKUS_HTTP_PORT", "8080");
            assertThat(container.at("/ports/0/containerPort").asInt()).isEqualTo(8080);
            assertThat(deployment.at("/spec/selector/matchLabels")).isEqualTo(deployment.at("/spec/template/metadata/labels"));
            assertThat(named("Service", service).at("/spec/selector")).isEqualTo(deployment.at("/spec/selector/matchLabels"));
        }
    }

    /** What the restricted Pod Security Standard asks, and a root file system nothing can write but /tmp. */
    @Test
    void everyServiceRunsLockedDownWithOnlyTmpWritable() {
        for (String service : SERVICES) {
            JsonNode pod = named("Deployment", service).at("/spec/template/spec");
            assertThat(pod.path("automountServiceAccountToken").isBoolean()).as("%s: automountServiceAccountToken set", service).isTrue();
            assertThat(pod.path("automountServiceAccountToken").asBoolean()).as("%s mounts an API token", service).isFalse();
            assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).as("%s: runAsNonRoot", service).isTrue();
            assertThat(pod.at("/securityContext/runAsUser").asInt()).as("%s: the images' user", service).isEqualTo(185);
            assertThat(pod.at("/securityContext/seccompProfile/type").asText()).as(service).isEqualTo("RuntimeDefault");
            for (JsonNode container : pod.path("containers")) {
                JsonNode security = container.path("securityContext");
                assertThat(security.path("allowPrivilegeEscalation").isBoolean() && !security.path("allowPrivilegeEscalation").asBoolean())
                        .as("%s: allowPrivilegeEscalation false", service).isTrue();
                assertThat(security.path("readOnlyRootFilesystem").asBoolean()).as("%s: readOnlyRootFilesystem", service).isTrue();
                assertThat(security.at("/capabilities/drop").toString()).as("%s drops every capability", service).isEqualTo("[\"ALL\"]");
                assertThat(security.at("/capabilities/add").isMissingNode()).as("%s adds no capability", service).isTrue();
                List<String> writable = new ArrayList<>();
                for (JsonNode mount : container.path("volumeMounts")) {
                    if (!mount.path("readOnly").asBoolean()) {
                        writable.add(mount.path("mountPath").asText());
                        JsonNode volume = volume(pod, mount.path("name").asText());
                        assertThat(volume.has("emptyDir")).as("%s: %s is an emptyDir", service, mount.path("mountPath").asText()).isTrue();
                        assertThat(volume.at("/emptyDir/sizeLimit").isMissingNode()).as("%s: the emptyDir has a size limit", service).isFalse();
                    }
                }
                assertThat(writable).as("%s: writable mounts", service).containsExactly("/tmp");
            }
        }
    }

    private static JsonNode volume(JsonNode pod, String name) {
        for (JsonNode volume : pod.path("volumes")) {
            if (volume.path("name").asText().equals(name)) {
                return volume;
            }
        }
        throw new AssertionError("no volume " + name);
    }

    @Test
    void everySecretAServiceLoadsIsDefined() {
        Set<String> secrets = ofKind("Secret").stream().map(s -> s.at("/metadata/name").asText()).collect(Collectors.toSet());
        for (String service : SERVICES) {
            named("Deployment", service).at("/spec/template/spec/containers/0/envFrom").forEach(source -> {
                if (source.has("secretRef")) {
                    assertThat(secrets).as("secrets loaded by %s", service).contains(source.at("/secretRef/name").asText());
                }
            });
        }
        assertThat(named("Deployment", "agent-worker").at("/spec/template/spec/containers/0/envFrom").toString())
                .contains("livekit", "llm", "speech");
    }

    @Test
    void everyServiceLoadsTheSchemaRegistrySettingsWhichLeaveItOff() {
        JsonNode registry = named("Secret", "schema-registry").path("stringData");
        assertThat(registry.path("SWITCHBOARD_SCHEMA_REGISTRY_URL").asText("missing")).as("no registry unless one is named").isEmpty();
        assertThat(registry.has("SWITCHBOARD_SCHEMA_REGISTRY_USER_INFO")).isTrue();
        for (String service : SERVICES) {
            assertThat(named("Deployment", service).at("/spec/template/spec/containers/0/envFrom").toString())
                    .as(service).contains("\"secretRef\":{\"name\":\"schema-registry\"}");
        }
    }

    @Test
    void everyServiceLoadsTheTokenVerificationSettings() {
        JsonNode auth = named("ConfigMap", "auth").path("data");
        assertThat(auth.has("MP_JWT_VERIFY_ISSUER") && auth.has("MP_JWT_VERIFY_AUDIENCES") && auth.has("MP_JWT_VERIFY_PUBLICKEY_LOCATION"))
                .as("the auth ConfigMap names issuer, audiences and key location: %s", auth).isTrue();
        for (String service : SERVICES) {
            assertThat(named("Deployment", service).at("/spec/template/spec/containers/0/envFrom").toString())
                    .as(service).contains("\"configMapRef\":{\"name\":\"auth\"}");
        }
    }

    @Test
    void theConsoleHostServesTheGatewayAndTheTranscriptHostAllowsTheConsolesOrigin() {
        JsonNode rules = named("Ingress", "switchboard").at("/spec/rules");
        Map<String, String> backendByHost = new java.util.HashMap<>();
        rules.forEach(rule -> {
            JsonNode path = rule.at("/http/paths/0");
            assertThat(path.path("path").asText() + " " + path.path("pathType").asText()).isEqualTo("/ Prefix");
            String service = path.at("/backend/service/name").asText();
            assertThat(named("Service", service).at("/spec/ports/0/name").asText()).isEqualTo(path.at("/backend/service/port/name").asText());
            backendByHost.put(rule.path("host").asText(), service);
        });
        JsonNode console = named("ConfigMap", "console").path("data");
        String consoleHost = backendByHost.entrySet().stream().filter(e -> e.getValue().equals("context-gateway")).findFirst().orElseThrow().getKey();
        String transcriptHost = backendByHost.entrySet().stream().filter(e -> e.getValue().equals("transcript-service")).findFirst().orElseThrow().getKey();
        assertThat(console.path("SWITCHBOARD_CONSOLE_TRANSCRIPTS_URL").asText()).isEqualTo("https://" + transcriptHost);
        assertThat(console.path("QUARKUS_HTTP_CORS_ORIGINS").asText()).isEqualTo("https://" + consoleHost);
        for (String service : List.of("context-gateway", "transcript-service")) {
            assertThat(named("Deployment", service).at("/spec/template/spec/containers/0/envFrom").toString())
                    .as(service).contains("\"configMapRef\":{\"name\":\"console\"}");
        }
    }

    /**
     * The settings of outbound calls and transfers the {@code sip} ConfigMap carries, each as the configuration
     * interface that reads it: a {@code @ConfigMapping} prefix and its method (a map: one variable per entry).
     */
    private record SipSetting(String prefix, String method, boolean map) {
        /** The environment variable, as MicroProfile Config maps a property name to one (a map's: its prefix). */
        String variable() {
            String property = prefix + "." + method.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
            return property.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_") + (map ? "_" : "");
        }

        boolean readBy(String source) {
            return source.contains("@ConfigMapping(prefix = \"" + prefix + "\")")
                    && java.util.regex.Pattern.compile("\\s" + method + "\\(\\);").matcher(source).find();
        }
    }

    private static final List<SipSetting> SIP_SETTINGS = List.of(
            new SipSetting("switchboard.sip", "outboundTrunk", false),
            new SipSetting("switchboard.sip", "fromNumber", false),
            new SipSetting("switchboard.sip", "maxCallDuration", false),
            new SipSetting("switchboard.livekit", "agentName", false),
            new SipSetting("switchboard.transfer", "destinations", true));

    @Test
    void exactlyTheServicesThatReadASipSettingLoadTheSipConfigMap() throws IOException {
        Map<String, Set<String>> read = new java.util.TreeMap<>();
        for (String service : SERVICES) {
            Set<String> settings = new java.util.TreeSet<>();
            try (Stream<Path> files = Files.walk(ROOT.resolve(service).resolve("src/main/java"))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    String source = Files.readString(file);
                    SIP_SETTINGS.stream().filter(s -> s.readBy(source)).forEach(s -> settings.add(s.variable()));
                }
            }
            read.put(service, settings);
            boolean loads = false;
            for (JsonNode source : named("Deployment", service).at("/spec/template/spec/containers/0/envFrom")) {
                loads |= source.at("/configMapRef/name").asText().equals("sip");
            }
            assertThat(loads).as("%s reads %s: it loads the sip ConfigMap if and only if it reads one of them", service, settings)
                    .isEqualTo(!settings.isEmpty());
        }
        // what the services' code was found to read, so that a renamed interface cannot leave the check above empty
        assertThat(read).isEqualTo(Map.of(
                "context-gateway", Set.of("SWITCHBOARD_SIP_OUTBOUND_TRUNK", "SWITCHBOARD_SIP_FROM_NUMBER"),
                "call-controller", Set.of("SWITCHBOARD_SIP_OUTBOUND_TRUNK", "SWITCHBOARD_SIP_FROM_NUMBER",
                        "SWITCHBOARD_SIP_MAX_CALL_DURATION", "SWITCHBOARD_LIVEKIT_AGENT_NAME"),
                "agent-worker", Set.of("SWITCHBOARD_LIVEKIT_AGENT_NAME", "SWITCHBOARD_TRANSFER_DESTINATIONS_"),
                "transcript-service", Set.of()));

        // the ConfigMap names every setting (a key, or a commented example of an optional one) and nothing else
        String file = fileDefining("ConfigMap", "sip");
        String text = Files.readString(BASE.resolve(file));
        for (SipSetting setting : SIP_SETTINGS) {
            assertThat(text).as("%s names %s", file, setting.variable()).contains(setting.variable());
        }
        JsonNode data = named("ConfigMap", "sip").path("data");
        data.fieldNames().forEachRemaining(key -> assertThat(SIP_SETTINGS).as("%s in the sip ConfigMap", key)
                .anyMatch(s -> s.map() ? key.startsWith(s.variable()) && key.length() > s.variable().length() : key.equals(s.variable())));
        // as shipped, no trunk: the gateway answers a dial 503 dialing-not-configured, as without the ConfigMap
        assertThat(data.path("SWITCHBOARD_SIP_OUTBOUND_TRUNK").asText("missing")).as("no trunk unless one is set").isEmpty();
        assertThat(data.has("SWITCHBOARD_LIVEKIT_AGENT_NAME")).as("one agent name for controller and worker").isTrue();
        assertThat(kustomizationResources()).as("the kustomization lists %s", file).contains(file);
    }

    /** The file of base/ that defines the resource. */
    private static String fileDefining(String kind, String name) throws IOException {
        try (Stream<Path> files = Files.list(BASE)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml") && !f.endsWith("kustomization.yaml")).sorted().toList()) {
                for (JsonNode resource : documents(Files.readString(file))) {
                    if (resource.path("kind").asText().equals(kind) && resource.at("/metadata/name").asText().equals(name)) {
                        return file.getFileName().toString();
                    }
                }
            }
        }
        throw new AssertionError("no file defines " + kind + " " + name);
    }

    private static Set<String> kustomizationResources() throws IOException {
        Set<String> listed = new java.util.HashSet<>();
        documents(Files.readString(BASE.resolve("kustomization.yaml"))).getFirst().path("resources").forEach(r -> listed.add(r.asText()));
        return listed;
    }

    @Test
    void theTranscriptServiceReadsTheDatabaseSecretThatCloudNativePgCreates() {
        String secret = ofKind("Cluster").getFirst().at("/metadata/name").asText() + "-app";
        JsonNode container = named("Deployment", "transcript-service").at("/spec/template/spec/containers/0");
        assertThat(secretRefs(container)).contains("QUARKUS_DATASOURCE_JDBC_URL<-" + secret + "/jdbc-uri");
    }

    @Test
    void kedaScalesOnTheConsumerGroupsTheServicesReallyUse() throws IOException {
        for (JsonNode scaled : ofKind("ScaledObject")) {
            String service = scaled.at("/spec/scaleTargetRef/name").asText();
            named("Deployment", service); // the target exists
            JsonNode trigger = scaled.at("/spec/triggers/0/metadata");
            Properties config = applicationProperties(service);
            Set<String> groups = config.stringPropertyNames().stream()
                    .filter(k -> k.startsWith("mp.messaging.incoming.") && k.endsWith(".group.id"))
                    .map(config::getProperty).collect(Collectors.toSet());
            assertThat(groups).as("group ids of %s", service).contains(trigger.path("consumerGroup").asText());
            assertThat(Topic.byName(trigger.path("topic").asText())).as("KEDA topic of %s", service).isPresent();
            assertThat(scaled.at("/spec/maxReplicaCount").asInt()).isLessThanOrEqualTo(Topic.byName(trigger.path("topic").asText()).orElseThrow().partitions());
            assertThat(scaled.at("/spec/minReplicaCount").asInt()).isGreaterThanOrEqualTo(1);
        }
    }

    /**
     * A crashed consumer's partitions resume within about 7 s only on a surviving instance of its group; a restarted
     * one needs its JVM start first (README, "Failure behaviour"). So every service runs two instances as shipped, and
     * KEDA never scales the transcript service below two; except the call controller, which runs one: what it remembers
     * of LiveKit's webhooks and of its hang-ups is per instance, and a second one would publish a second CallEnded.
     */
    @Test
    void everyServiceButTheCallControllerRunsAtLeastTwoInstancesSoASurvivorTakesOverACrashedOnesWork() {
        for (String service : SERVICES) {
            JsonNode replicas = named("Deployment", service).at("/spec/replicas");
            int wanted = service.equals("call-controller") ? 1 : 2;
            assertThat(replicas.isInt() && replicas.asInt() == wanted || wanted == 2 && replicas.asInt() > 2)
                    .as("%s: replicas %s, wanted %s", service, replicas, wanted == 1 ? "1" : "at least 2").isTrue();
        }
        List<JsonNode> scaled = ofKind("ScaledObject");
        assertThat(scaled).extracting(s -> s.at("/spec/scaleTargetRef/name").asText())
                .containsExactlyInAnyOrder("transcript-service", "call-controller");
        for (JsonNode scaledObject : scaled) {
            String service = scaledObject.at("/spec/scaleTargetRef/name").asText();
            JsonNode min = scaledObject.at("/spec/minReplicaCount");
            int wanted = service.equals("call-controller") ? 1 : 2;
            assertThat(min.isInt() && min.asInt() == wanted).as("%s: KEDA's minReplicaCount %s, wanted %s", service, min, wanted).isTrue();
        }
    }

    private static Properties applicationProperties(String service) throws IOException {
        Properties properties = new Properties();
        properties.load(new StringReader(Files.readString(ROOT.resolve(service).resolve("src/main/resources/application.properties"))));
        return properties;
    }

    /** The listener whose clients authenticate this way. */
    private static JsonNode listener(JsonNode kafka, String authentication) {
        return find(kafka.at("/spec/kafka/listeners"), l -> l.at("/authentication/type").asText().equals(authentication));
    }

    /** What the user may do on the resource, counting literal and prefixed ACLs as the broker does. */
    private static Set<String> allowed(JsonNode user, String type, String name) {
        Set<String> operations = new java.util.TreeSet<>();
        user.at("/spec/authorization/acls").forEach(acl -> {
            String pattern = acl.at("/resource/name").asText();
            boolean matches = acl.at("/resource/type").asText().equals(type)
                    && (acl.at("/resource/patternType").asText().equals("prefix") ? name.startsWith(pattern) : name.equals(pattern));
            if (matches) {
                acl.path("operations").forEach(o -> operations.add(o.asText()));
            }
        });
        return operations;
    }

    private static List<String> readableGroupPrefixes(JsonNode user) {
        List<String> prefixes = new ArrayList<>();
        user.at("/spec/authorization/acls").forEach(acl -> {
            if (acl.at("/resource/type").asText().equals("group") && acl.path("operations").toString().contains("\"Read\"")) {
                prefixes.add(acl.at("/resource/name").asText());
            }
        });
        return prefixes;
    }

    private static List<String> secretRefs(JsonNode container) {
        List<String> refs = new ArrayList<>();
        container.path("env").forEach(e -> {
            if (e.at("/valueFrom/secretKeyRef/name").isTextual()) {
                refs.add(e.path("name").asText() + "<-" + e.at("/valueFrom/secretKeyRef/name").asText() + "/" + e.at("/valueFrom/secretKeyRef/key").asText());
            }
        });
        return refs;
    }

    private static JsonNode find(JsonNode array, java.util.function.Predicate<JsonNode> test) {
        for (JsonNode element : array) {
            if (test.test(element)) {
                return element;
            }
        }
        throw new AssertionError("nothing matches in " + array);
    }

    private static Map<String, String> env(JsonNode container) {
        Map<String, String> env = new java.util.HashMap<>();
        container.path("env").forEach(e -> {
            if (e.has("value")) {
                env.put(e.path("name").asText(), e.path("value").asText());
            }
        });
        return env;
    }

    private static List<JsonNode> ofKind(String kind) {
        return resources.stream().filter(r -> r.path("kind").asText().equals(kind)).toList();
    }

    private static JsonNode named(String kind, String name) {
        return ofKind(kind).stream().filter(r -> r.at("/metadata/name").asText().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " named " + name));
    }

    private static List<JsonNode> documents(String yaml) throws IOException {
        ObjectMapper mapper = new ObjectMapper(new YAMLFactory());
        List<JsonNode> docs = new ArrayList<>();
        try (YAMLParser parser = new YAMLFactory().createParser(yaml)) {
            ObjectReader reader = mapper.readerFor(JsonNode.class);
            var values = reader.readValues(parser);
            while (values.hasNext()) {
                JsonNode node = (JsonNode) values.next();
                if (node != null && !node.isNull() && !node.isEmpty()) {
                    docs.add(node);
                }
            }
        }
        return docs;
    }
}
