package io.wharf.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code REGISTRY_*} overrides, through {@link ConfigLoader#load}. */
class EnvOverlayTest {

    private static final String FILE = """
            version: 0.1
            storage:
              filesystem:
                rootdirectory: /var/lib/registry
              delete:
                enabled: false
            http:
              addr: :5000
              headers:
                X-Content-Type-Options: [nosniff]
            """;

    private static ConfigResult withFile(Map<String, String> env) {
        return ConfigLoader.load(FILE, "config.yml", env);
    }

    private static ConfigResult withoutFile(Map<String, String> env) {
        return ConfigLoader.load(null, "unused", env);
    }

    @Test
    void nestedKey_isSetFromTheVariable() {
        ConfigResult result = withFile(Map.of("REGISTRY_STORAGE_DELETE_ENABLED", "true"));

        assertThat(result.config().storage().deleteEnabled()).isTrue();
        assertThat(result.warnings()).isEmpty();
    }

    @Test
    void stringValues_replaceTheFilesValues() {
        RegistryConfig config = withFile(Map.of("REGISTRY_HTTP_ADDR", ":6000",
                "REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY", "/srv/registry", "REGISTRY_LOG_LEVEL", "debug")).config();

        assertThat(config.http().addr()).isEqualTo(":6000");
        assertThat(config.storage().rootDirectory()).contains(Path.of("/srv/registry"));
        assertThat(config.log().level()).isEqualTo("debug");
    }

    @Test
    void storageVariable_replacesTheDriverAndKeepsTheSettings() {
        RegistryConfig.Storage storage = withFile(Map.of("REGISTRY_STORAGE", "inmemory",
                "REGISTRY_STORAGE_DELETE_ENABLED", "true")).config().storage();

        assertThat(storage.driver().name()).isEqualTo("inmemory");
        assertThat(storage.deleteEnabled()).isTrue();
    }

    @Test
    void variablesApplyInNameOrder_soTheSectionComesBeforeItsKeys() {
        RegistryConfig.Storage storage = withFile(Map.of("REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY", "/srv/x",
                "REGISTRY_STORAGE", "filesystem")).config().storage();

        assertThat(storage.driver().name()).isEqualTo("filesystem");
        assertThat(storage.rootDirectory()).contains(Path.of("/srv/x"));
    }

    @Test
    void valuesAreYaml_soListsNumbersAndBooleansKeepTheirType() {
        RegistryConfig config = withFile(Map.of("REGISTRY_VALIDATION_MANIFESTS_URLS_ALLOW", "[a, b]",
                "REGISTRY_CATALOG_MAXENTRIES", "50", "REGISTRY_HTTP_RELATIVEURLS", "true",
                "REGISTRY_HTTP_DRAINTIMEOUT", "30s")).config();

        assertThat(config.validation().allowUrls()).containsExactly("a", "b");
        assertThat(config.catalog().maxEntries()).isEqualTo(50);
        assertThat(config.http().relativeUrls()).isTrue();
        assertThat(config.http().drainTimeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void newMapKey_isLowerCasedAsDistributionDoes() {
        Map<String, List<String>> headers = withFile(Map.of("REGISTRY_HTTP_HEADERS_X-FRAME-OPTIONS", "[DENY]"))
                .config().http().headers();

        assertThat(headers).containsEntry("x-frame-options", List.of("DENY"))
                .containsEntry("X-Content-Type-Options", List.of("nosniff"));
    }

    @Test
    void existingMapKey_isMatchedWithoutRegardToCase() {
        Map<String, List<String>> headers = withFile(Map.of("REGISTRY_HTTP_HEADERS_X-CONTENT-TYPE-OPTIONS", "[x]"))
                .config().http().headers();

        assertThat(headers).containsExactly(Map.entry("X-Content-Type-Options", List.of("x")));
    }

    @Test
    void variableNamingNoKey_isAWarning() {
        ConfigResult result = withFile(Map.of("REGISTRY_HTTP_ADRESS", ":1", "REGISTRY_FOO", "x"));

        assertThat(result.valid()).isTrue();
        assertThat(result.warnings()).containsExactly(
                "environment variable REGISTRY_FOO names no configuration key (the top level has no key foo), ignored",
                "environment variable REGISTRY_HTTP_ADRESS names no configuration key (http has no key adress), "
                        + "ignored");
    }

    @Test
    void configurationPathAndOtherVariables_areIgnoredSilently() {
        ConfigResult result = withFile(Map.of("REGISTRY_CONFIGURATION_PATH", "/etc/x.yml", "PATH", "/bin",
                "registry_http_addr", ":1"));

        assertThat(result.warnings()).isEmpty();
        assertThat(result.config()).isEqualTo(withFile(Map.of()).config());
    }

    @Test
    void versionVariable_isIgnoredWithAWarning() {
        ConfigResult result = withFile(Map.of("REGISTRY_VERSION", "0.2"));

        assertThat(result.valid()).isTrue();
        assertThat(result.warnings()).singleElement().asString().contains("REGISTRY_VERSION is ignored");
    }

    @Test
    void valueOfTheWrongType_isAnErrorNamingTheVariable() {
        assertThat(withFile(Map.of("REGISTRY_HTTP_RELATIVEURLS", "sometimes")).errors()).singleElement().asString()
                .startsWith("http.relativeurls: expected true or false")
                .endsWith("(environment variable REGISTRY_HTTP_RELATIVEURLS)");
    }

    @Test
    void valueThatIsNotYaml_isAnError() {
        assertThat(withFile(Map.of("REGISTRY_HTTP_SECRET", "@secret")).errors()).singleElement().asString()
                .startsWith("environment variable REGISTRY_HTTP_SECRET: not valid YAML");
    }

    @Test
    void valueThatReadsAsNothing_isAnErrorRatherThanAnEmptySecret() {
        assertThat(withFile(Map.of("REGISTRY_HTTP_SECRET", "#secret")).errors()).singleElement().asString()
                .contains("REGISTRY_HTTP_SECRET", "reads as nothing", "quote it");
    }

    @Test
    void emptyValue_resetsTheKeyToItsDefault() {
        assertThat(withFile(Map.of("REGISTRY_HTTP_ADDR", "")).config().http().addr()).isEqualTo(":5000");
    }

    @Test
    void listIndex_setsOrAppendsAnElement() {
        ConfigResult result = withFile(Map.of("REGISTRY_NOTIFICATIONS_ENDPOINTS_0_URL", "https://hook.example/",
                "REGISTRY_NOTIFICATIONS_ENDPOINTS_0_TIMEOUT", "1s"));

        assertThat(result.valid()).isTrue();
        assertThat(result.config().notifications().endpoints()).singleElement().satisfies(e -> {
            assertThat(e.url()).hasToString("https://hook.example/");
            assertThat(e.name()).isEqualTo("endpoint-0");
        });
    }

    @Test
    void listIndexPastTheEnd_isAnError() {
        assertThat(withFile(Map.of("REGISTRY_NOTIFICATIONS_ENDPOINTS_1_URL", "x")).errors())
                .singleElement().asString().contains("notifications.endpoints has no element 1");
    }

    @Test
    void distributionsGoFieldNames_areAcceptedWhereTheyDifferFromTheYamlKey() {
        ConfigResult result = withFile(Map.of("REGISTRY_NOTIFICATIONS_EVENTCONFIG_INCLUDEREFERENCES", "true"));

        assertThat(result.valid()).isTrue();
        assertThat(result.warnings()).isEmpty();
    }

    @Test
    void withoutFile_overridesApplyToTheDefaults() {
        RegistryConfig config = withoutFile(Map.of("REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY", "/srv/r",
                "REGISTRY_HTTP_HEADERS_X-FOO", "[bar]")).config();

        assertThat(config.storage().rootDirectory()).contains(Path.of("/srv/r"));
        assertThat(config.storage().blobDescriptorCache()).isEqualTo("inmemory");
        assertThat(config.http().headers()).containsEntry("X-Content-Type-Options", List.of("nosniff"))
                .containsEntry("x-foo", List.of("bar"));
    }

    @Test
    void withoutFile_storageVariableChoosesTheDriver() {
        RegistryConfig.Storage storage = withoutFile(Map.of("REGISTRY_STORAGE", "inmemory")).config().storage();

        assertThat(storage.driver().name()).isEqualTo("inmemory");
        assertThat(storage.blobDescriptorCache()).isEqualTo("inmemory");
    }

    @Test
    void withoutFile_unsupportedDriverFromTheEnvironment_isAnError() {
        assertThat(withoutFile(Map.of("REGISTRY_STORAGE", "azure")).errors())
                .singleElement().asString().contains("storage driver azure is not supported yet");
    }

    @Test
    void freeFormParameters_takeNewLowerCasedKeys() {
        ConfigResult result = withFile(Map.of("REGISTRY_MIDDLEWARE_REGISTRY_0_NAME", "x",
                "REGISTRY_MIDDLEWARE_REGISTRY_0_OPTIONS_SOMEKEY", "v"));

        assertThat(result.valid()).isTrue();
        assertThat(result.warnings()).singleElement().asString().startsWith("middleware:");
    }
}
