package io.wharf.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {

    private static final String MINIMAL = "version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: /srv/registry\n";

    static ConfigResult load(String yaml) {
        return ConfigLoader.load(yaml, "config.yml", Map.of());
    }

    @Test
    void noFileAndNoEnvironment_givesTheDefaultsWithoutProblems() {
        ConfigResult result = ConfigLoader.load(null, "unused", Map.of());

        assertThat(result.valid()).isTrue();
        assertThat(result.config()).isEqualTo(RegistryConfig.defaults());
        assertThat(result.warnings()).isEmpty();
    }

    @Test
    void minimalFile_usesDistributionsDefaultsForEverythingElse() {
        RegistryConfig config = load(MINIMAL).config();

        assertThat(config.storage().driver().name()).isEqualTo("filesystem");
        assertThat(config.storage().rootDirectory()).contains(Path.of("/srv/registry"));
        assertThat(config.storage().blobDescriptorCache()).isEmpty();
        assertThat(config.storage().uploadPurging()).isEqualTo(RegistryConfig.UploadPurging.defaults());
        assertThat(config.http().addr()).isEqualTo(":5000");
        assertThat(config.http().headers()).isEmpty();
        assertThat(config.log()).isEqualTo(RegistryConfig.Log.defaults());
        assertThat(config.catalog().maxEntries()).isEqualTo(1000);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "enabled: true       | true  | false",
        "enabled: yes        | true  | false",
        "enabled: 'true'     | false | true",
        "enabled: \"TRUE\" | false | true",
        "enabled: \"false\"| false | true",
        "enabled: \"yes\"  | false | true",
        "enabled: 'on'       | false | true",
        "enabled: false      | false | false"})
    void deletes_areOnForABooleanOnly_asDistributionReadsTheKey(String line, boolean on, boolean warned) {
        ConfigResult result = load(MINIMAL + "  delete:\n    " + line + "\n");
        assertThat(result.errors()).isEmpty();
        assertThat(result.config().storage().deleteEnabled()).isEqualTo(on);
        assertThat(result.warnings().stream().anyMatch(w -> w.startsWith("storage.delete.enabled: is the string")
                && w.contains("without quotes") && w.contains("config.yml line 6"))).isEqualTo(warned);
        // From the environment the value is YAML too: REGISTRY_STORAGE_DELETE_ENABLED=true is a boolean.
        assertThat(ConfigLoader.load(MINIMAL, "config.yml", Map.of("REGISTRY_STORAGE_DELETE_ENABLED", "true"))
                .config().storage().deleteEnabled()).isTrue();
    }

    @Test
    void fileWithoutVersion_isAnError() {
        ConfigResult result = load("storage: inmemory\n");

        assertThat(result.valid()).isFalse();
        assertThat(result.config()).isNull();
        assertThat(result.errors()).singleElement().asString().contains("version is required");
    }

    @Test
    void fileWithAnotherVersion_isAnError() {
        assertThat(load("version: 0.2\nstorage: inmemory\n").errors())
                .singleElement().asString().contains("unsupported version \"0.2\"", "config.yml line 1");
    }

    @Test
    void emptyFile_isAnErrorBecauseTheVersionIsMissing() {
        assertThat(load("").errors()).anyMatch(e -> e.contains("version is required"));
    }

    @Test
    void invalidYaml_isAnErrorWithItsLocation() {
        ConfigResult result = load("version: 0.1\nhttp:\n  addr: [\n");

        assertThat(result.errors()).singleElement().asString()
                .startsWith("config.yml: not valid YAML at line ").contains("expected the node content");
    }

    @Test
    void topLevelList_isAnError() {
        assertThat(load("- a\n- b\n").errors()).singleElement().asString().contains("expected a mapping");
    }

    @Test
    void unknownKey_isAWarningNamingTheFullPathAndLine() {
        ConfigResult result = load(MINIMAL + "http:\n  addr: :5000\n  tls:\n    certficate: /x\n");

        assertThat(result.valid()).isTrue();
        assertThat(result.warnings()).containsExactly("http.tls.certficate: unknown key, ignored (config.yml line 8)");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"nope", "5000", "host:port", ":70000", "::1:5000"})
    void malformedListenAddress_isAnError(String addr) {
        ConfigResult result = load(MINIMAL + "http:\n  addr: \"" + addr + "\"\n");

        assertThat(result.errors()).anyMatch(e -> e.startsWith("http.addr") && e.contains("host:port"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({":5000", "127.0.0.1:5000", "localhost:0", "[::1]:5000", "0.0.0.0:443"})
    void wellFormedListenAddress_isAccepted(String addr) {
        assertThat(load(MINIMAL + "http:\n  addr: \"" + addr + "\"\n").errors()).isEmpty();
    }

    @Test
    void keysAreCaseSensitiveLikeDistributions() {
        assertThat(load(MINIMAL + "HTTP:\n  addr: :6000\n").warnings())
                .singleElement().asString().startsWith("HTTP: unknown key");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "http.relativeurls  | http:\\n  relativeurls: maybe           | expected true or false, got the string \"maybe\"",
            "catalog.maxentries | catalog:\\n  maxentries: many           | expected an integer",
            "http.draintimeout  | http:\\n  draintimeout: 10 seconds     | unknown unit \" seconds\"",
            "http.headers.X-A   | http:\\n  headers:\\n    X-A: nosniff  | expected a list of strings",
            "storage.delete     | storage:\\n  inmemory:\\n  delete: true | expected a mapping of keys to values",
            "http.addr          | http:\\n  addr: [a, b]                 | expected a string, got a list"})
    void wrongType_isAnErrorNamingThePathAndWhatWasExpected(String path, String yaml, String expected) {
        ConfigResult result = load("version: 0.1\nstorage: inmemory\n" + yaml.replace("\\n", "\n") + "\n");

        assertThat(result.errors()).singleElement().asString().startsWith(path + ": ").contains(expected);
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        ConfigResult result = load("""
                log:
                  level: loud
                  formatter: xml
                storage:
                  s3:
                    bucket: b
                http:
                  net: udp
                  host: registry.example.com
                  draintimeout: soon
                  adress: :5000
                catalog:
                  maxentries: lots
                validation:
                  manifests:
                    urls:
                      allow: ["("]
                """);

        assertThat(result.config()).isNull();
        assertThat(result.errors()).hasSize(9).anyMatch(e -> e.contains("version is required"))
                .anyMatch(e -> e.startsWith("log.level: must be one of error, warn, info, debug"))
                .anyMatch(e -> e.startsWith("log.formatter: must be one of text, json, logstash"))
                .anyMatch(e -> e.startsWith("storage.s3.region: required unless storage.s3.regionendpoint"))
                .anyMatch(e -> e.startsWith("http.net: must be tcp or unix"))
                .anyMatch(e -> e.startsWith("http.host: must be an absolute URL"))
                .anyMatch(e -> e.startsWith("http.draintimeout: expected a duration"))
                .anyMatch(e -> e.startsWith("catalog.maxentries: expected an integer"))
                .anyMatch(e -> e.startsWith("validation.manifests.urls.allow[0]: not a valid regular expression"));
        assertThat(result.warnings()).singleElement().asString().startsWith("http.adress: unknown key");
    }

    @Test
    void durations_acceptGoSyntaxAndBareIntegersAsNanoseconds() {
        RegistryConfig config = load(MINIMAL + """
                  maintenance:
                    uploadpurging:
                      age: 1h30m
                      interval: 1000000000
                http:
                  draintimeout: 500ms
                """).config();

        assertThat(config.storage().uploadPurging().age()).isEqualTo(Duration.ofMinutes(90));
        assertThat(config.storage().uploadPurging().interval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.http().drainTimeout()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void storageSettings_areBound() {
        RegistryConfig.Storage storage = load("""
                version: 0.1
                storage:
                  filesystem:
                    rootdirectory: data/registry
                    maxthreads: 10
                  delete:
                    enabled: yes
                  redirect:
                    disable: true
                  cache:
                    blobdescriptor: inmemory
                    blobdescriptorsize: 50
                  maintenance:
                    uploadpurging:
                      enabled: false
                      dryrun: true
                    readonly:
                      enabled: true
                  tag:
                    concurrencylimit: 4
                """).config().storage();

        assertThat(storage).isEqualTo(new RegistryConfig.Storage(new DriverSettings.Filesystem(Path.of("data/registry"), 25), true,
                true, new RegistryConfig.UploadPurging(false, Duration.ofHours(168), Duration.ofHours(24), true),
                "inmemory", 50, true, 4));
    }

    @Test
    void relativeRootDirectory_staysRelative() {
        assertThat(load("version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: ./data\n").config().storage()
                .rootDirectory()).contains(Path.of("./data")).isNotEqualTo(java.util.Optional.of(Path.of("./data").toAbsolutePath()));
    }

    @Test
    void filesystemWithoutRootDirectory_usesDistributionsDefault() {
        assertThat(load("version: 0.1\nstorage: filesystem\n").config().storage().rootDirectory()).contains(Path.of("/var/lib/registry"));
    }

    @Test
    void storageAsBareName_choosesThatDriver() {
        assertThat(load("version: 0.1\nstorage: inmemory\n").config().storage().driver().name()).isEqualTo("inmemory");
    }

    @Test
    void fileWithoutStorageDriver_isAnError() {
        assertThat(load("version: 0.1\nstorage:\n  delete:\n    enabled: true\n").errors())
                .singleElement().asString().contains("no storage driver configured");
    }

    @Test
    void twoStorageDrivers_isAnError() {
        assertThat(load("version: 0.1\nstorage:\n  inmemory:\n  filesystem:\n    rootdirectory: /x\n").errors())
                .singleElement().asString().contains("exactly one storage driver", "inmemory, filesystem");
    }

    @Test
    void redisBlobDescriptorCache_withoutTheRedisSection_fallsBackToInMemoryWithAWarning() {
        ConfigResult result = load(MINIMAL + "  cache:\n    blobdescriptor: redis\n");

        assertThat(result.config().storage().blobDescriptorCache()).isEqualTo("inmemory");
        assertThat(result.warnings()).singleElement().asString().contains("falls back", "inmemory")
                .startsWith("storage.cache.blobdescriptor:");
    }

    @Test
    void redisBlobDescriptorCache_withTheRedisSection_isRedis() {
        ConfigResult result = load(MINIMAL + "  cache:\n    blobdescriptor: redis\nredis:\n  addr: localhost:6379\n");

        assertThat(result.warnings()).isEmpty();
        assertThat(result.config().storage().blobDescriptorCache()).isEqualTo("redis");
    }

    @Test
    void deprecatedLayerInfo_isUsedWithAWarning() {
        ConfigResult result = load(MINIMAL + "  cache:\n    layerinfo: inmemory\n");

        assertThat(result.config().storage().blobDescriptorCache()).isEqualTo("inmemory");
        assertThat(result.warnings()).singleElement().asString().contains("deprecated");
    }

    @Test
    void logstashFormatter_isKept() {
        ConfigResult result = load(MINIMAL + "log:\n  formatter: logstash\n");

        assertThat(result.config().log().formatter()).isEqualTo("logstash");
        assertThat(result.warnings()).isEmpty();
    }

    @Test
    void deprecatedLogLevel_appliesWhenLogLevelIsAbsent() {
        ConfigResult result = load(MINIMAL + "loglevel: DEBUG\n");

        assertThat(result.config().log().level()).isEqualTo("debug");
        assertThat(result.warnings()).singleElement().asString().contains("deprecated; use log.level");
    }

    @Test
    void logSection_isBound() {
        RegistryConfig.Log log = load(MINIMAL + """
                log:
                  level: warn
                  formatter: json
                  fields:
                    service: registry
                    replica: 3
                  accesslog:
                    disabled: true
                """).config().log();

        assertThat(log).isEqualTo(new RegistryConfig.Log("warn", "json",
                Map.of("service", "registry", "replica", "3"), true));
    }

    @Test
    void unixSockets_areRefusedWithAClearError() {
        ConfigResult result = load(MINIMAL + "http:\n  addr: /run/registry.sock\n  net: unix\n");

        assertThat(result.valid()).isFalse();
        assertThat(result.errors()).anyMatch(e -> e.contains("http.net") && e.contains("unix sockets are not supported"));
    }

    @Test
    void httpSection_isBound() {
        RegistryConfig.Http http = load(MINIMAL + """
                http:
                  addr: 127.0.0.1:5001
                  net: tcp
                  prefix: /registry/
                  host: https://registry.example.com
                  secret: s3cret
                  relativeurls: true
                  draintimeout: 60s
                  headers:
                    X-Content-Type-Options: [nosniff]
                    Strict-Transport-Security: [max-age=31536000]
                  http2:
                    disabled: true
                  h2c:
                    enabled: false
                """).config().http();

        assertThat(http).isEqualTo(new RegistryConfig.Http("127.0.0.1:5001", "tcp", "/registry/",
                "https://registry.example.com", "s3cret", true, Map.of("X-Content-Type-Options", List.of("nosniff"),
                        "Strict-Transport-Security", List.of("max-age=31536000")), Duration.ofSeconds(60),
                TlsConfig.none(), true, CorsConfig.none()));
    }

    @Test
    void numbersWhereStringsAreExpected_areReadAsTheirText() {
        assertThat(load(MINIMAL + "http:\n  secret: 12345\n").config().http().secret()).isEqualTo("12345");
    }

    @Test
    void prefixWithoutLeadingSlash_isAnError() {
        assertThat(load(MINIMAL + "http:\n  prefix: registry/\n").errors())
                .singleElement().asString().startsWith("http.prefix: must start with /");
    }

    @Test
    void nonPositiveCatalogMaxEntries_fallsBackTo1000WithAWarning() {
        ConfigResult result = load(MINIMAL + "catalog:\n  maxentries: 0\n");

        assertThat(result.config().catalog().maxEntries()).isEqualTo(1000);
        assertThat(result.warnings()).singleElement().asString().startsWith("catalog.maxentries: must be positive");
    }

    @Test
    void validationSection_isBound() {
        RegistryConfig.Validation validation = load(MINIMAL + """
                validation:
                  disabled: true
                  manifests:
                    urls:
                      allow: ['^https?://([^/]+\\.)*example\\.com/']
                      deny: ['^https?://www\\.example\\.com/']
                    indexes:
                      platforms: list
                      platformlist:
                        - architecture: arm64
                          os: linux
                """).config().validation();

        assertThat(validation).isEqualTo(new RegistryConfig.Validation(true,
                List.of("^https?://([^/]+\\.)*example\\.com/"), List.of("^https?://www\\.example\\.com/"),
                new RegistryConfig.IndexValidation("list", List.of(new RegistryConfig.Platform("arm64", "linux")))));
    }

    @Test
    void deprecatedValidationEnabled_winsOverDisabledWithAWarning() {
        ConfigResult result = load(MINIMAL + "validation:\n  enabled: true\n  disabled: true\n");

        assertThat(result.config().validation().disabled()).isFalse();
        assertThat(result.warnings()).singleElement().asString().contains("deprecated; use validation.disabled");
    }

    @Test
    void keyWrittenTwice_warnsAndUsesTheLastValue() {
        ConfigResult result = load(MINIMAL + "http:\n  addr: :1\n  addr: :2\n");

        assertThat(result.config().http().addr()).isEqualTo(":2");
        assertThat(result.warnings()).singleElement().asString().startsWith("http.addr: key written twice");
    }

    @Test
    void yamlAlias_isAnError() {
        assertThat(load(MINIMAL + "http:\n  addr: &a :1\n  secret: *a\n").errors())
                .singleElement().asString().contains("aliases");
    }

    @Test
    void redisSection_isBoundWithDistributionsKeys_andItsPasswordNeverPrinted() {
        var redis = load(MINIMAL + """
                redis:
                  addr: redis.internal:6380
                  password: s3cret
                  db: 2
                  dialtimeout: 2s
                  readtimeout: 4s
                  writetimeout: 1s
                  pool:
                    maxidle: 4
                    maxactive: 32
                    idletimeout: 60s
                  tls:
                    enabled: true
                """).config().redis();
        assertThat(redis).isEqualTo(new RegistryConfig.Redis("redis.internal:6380", "", "s3cret", 2,
                Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(1), 4, 32, Duration.ofSeconds(60),
                true));
        assertThat(redis.toString()).doesNotContain("s3cret");
        assertThat(load(MINIMAL).config().redis().enabled()).isFalse();
        assertThat(load(MINIMAL + "redis:\n  addr: nohost\n").errors()).anySatisfy(e -> assertThat(e).contains("redis.addr"));
    }
}
