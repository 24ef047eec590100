package io.wharf.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code storage.s3}: Distribution's keys, defaults and limits, from the file and from {@code REGISTRY_*}. */
class S3BindingTest {
    private static final long MIB = 1024 * 1024;

    private static ConfigResult load(String yaml, Map<String, String> env) {
        return ConfigLoader.load(yaml, "config.yml", env);
    }

    private static DriverSettings.S3 s3(ConfigResult result) {
        assertThat(result.errors()).isEmpty();
        return (DriverSettings.S3) result.config().storage().driver();
    }

    @Test
    void bucketAndRegionOnly_takeDistributionsDefaults() {
        ConfigResult result = load("version: 0.1\nstorage:\n  s3:\n    bucket: images\n    region: eu-west-1\n", Map.of());

        DriverSettings.S3 s3 = s3(result);
        assertThat(result.warnings()).isEmpty();
        assertThat(s3).isEqualTo(DriverSettings.S3.defaults("images", "eu-west-1"));
        assertThat(s3.secure()).isTrue();
        assertThat(s3.v4Auth()).isTrue();
        assertThat(s3.forcePathStyle()).isFalse();
        assertThat(s3.skipVerify()).isFalse();
        assertThat(s3.encrypt()).isFalse();
        assertThat(s3.chunkSize()).isEqualTo(10 * MIB);
        assertThat(s3.multipartCopyChunkSize()).isEqualTo(32 * MIB);
        assertThat(s3.multipartCopyMaxConcurrency()).isEqualTo(100);
        assertThat(s3.multipartCopyThresholdSize()).isEqualTo(32 * MIB);
        assertThat(s3.storageClass()).isEqualTo("STANDARD");
        assertThat(s3.accessKey()).isEmpty();
        assertThat(s3.rootDirectory()).isEmpty();
        assertThat(s3.name()).isEqualTo("s3");
        assertThat(s3.location()).isEqualTo("s3://images/");
    }

    @Test
    void everyKey_isBound() {
        DriverSettings.S3 s3 = s3(load("""
                version: 0.1
                storage:
                  s3:
                    accesskey: AKIAEXAMPLE
                    secretkey: wJalrXUtnFEMI
                    region: us-west-1
                    regionendpoint: http://minio.local:9000
                    forcepathstyle: true
                    bucket: bucketname
                    rootdirectory: /s3/object/name/prefix
                    secure: false
                    skipverify: true
                    v4auth: true
                    chunksize: 5242880
                    multipartcopychunksize: 33554432
                    multipartcopymaxconcurrency: 7
                    multipartcopythresholdsize: 0
                    encrypt: true
                    keyid: mykeyid
                    storageclass: reduced_redundancy
                    useragent: wharf-prod
                """, Map.of()));

        assertThat(s3).isEqualTo(new DriverSettings.S3("AKIAEXAMPLE", "wJalrXUtnFEMI", "us-west-1",
                "http://minio.local:9000", true, "bucketname", "/s3/object/name/prefix", false, true, true, 5 * MIB,
                32 * MIB, 7, 0, true, "mykeyid", "REDUCED_REDUNDANCY", "wharf-prod"));
        assertThat(s3.location()).isEqualTo("s3://bucketname/s3/object/name/prefix at http://minio.local:9000");
    }

    @Test
    void toString_neverShowsTheSecretKey() {
        DriverSettings.S3 s3 = s3(load("version: 0.1\nstorage:\n  s3:\n    bucket: b\n    region: r\n"
                + "    accesskey: AKIAEXAMPLE\n    secretkey: wJalrXUtnFEMI\n", Map.of()));

        assertThat(s3.toString()).contains("AKIAEXAMPLE", "<hidden>").doesNotContain("wJalrXUtnFEMI");
    }

    @Test
    void environment_overridesAndSetsTheDriverAsDistributionsDoes() {
        ConfigResult result = load(null, Map.of("REGISTRY_STORAGE", "s3", "REGISTRY_STORAGE_S3_BUCKET", "from-env",
                "REGISTRY_STORAGE_S3_REGIONENDPOINT", "http://127.0.0.1:9000", "REGISTRY_STORAGE_S3_SECRETKEY", "s",
                "REGISTRY_STORAGE_S3_ACCESSKEY", "a", "REGISTRY_STORAGE_S3_FORCEPATHSTYLE", "true",
                "REGISTRY_STORAGE_S3_CHUNKSIZE", "20971520", "REGISTRY_STORAGE_S3_STORAGECLASS", "NONE"));

        DriverSettings.S3 s3 = s3(result);
        assertThat(s3.bucket()).isEqualTo("from-env");
        assertThat(s3.region()).isEmpty();
        assertThat(s3.regionEndpoint()).isEqualTo("http://127.0.0.1:9000");
        assertThat(s3.accessKey()).isEqualTo("a");
        assertThat(s3.secretKey()).isEqualTo("s");
        assertThat(s3.forcePathStyle()).isTrue();
        assertThat(s3.chunkSize()).isEqualTo(20 * MIB);
        assertThat(s3.storageClass()).isEqualTo("NONE");
    }

    @Test
    void environment_overridesOneKeyOfTheFile() {
        DriverSettings.S3 s3 = s3(load("version: 0.1\nstorage:\n  s3:\n    bucket: b\n    region: r\n",
                Map.of("REGISTRY_STORAGE_S3_ROOTDIRECTORY", "/from/env", "REGISTRY_STORAGE_S3_REGION", "eu-north-1")));

        assertThat(s3.rootDirectory()).isEqualTo("/from/env");
        assertThat(s3.region()).isEqualTo("eu-north-1");
    }

    @Test
    void missingBucketAndRegion_areBothReported() {
        ConfigResult result = load("version: 0.1\nstorage:\n  s3:\n    rootdirectory: /x\n", Map.of());

        assertThat(result.errors()).hasSize(2)
                .anyMatch(e -> e.startsWith("storage.s3.bucket: required"))
                .anyMatch(e -> e.startsWith("storage.s3.region: required unless storage.s3.regionendpoint"));
    }

    @Test
    void sizesOutsideS3sLimitsAndUnknownStorageClass_areErrors() {
        ConfigResult result = load("""
                version: 0.1
                storage:
                  s3:
                    bucket: b
                    region: r
                    chunksize: 1048576
                    multipartcopychunksize: 6442450944
                    multipartcopymaxconcurrency: 0
                    multipartcopythresholdsize: -1
                    storageclass: GLACIER
                """, Map.of());

        assertThat(result.errors()).hasSize(5)
                .anyMatch(e -> e.startsWith("storage.s3.chunksize: must be between 5242880"))
                .anyMatch(e -> e.startsWith("storage.s3.multipartcopychunksize: must be between"))
                .anyMatch(e -> e.startsWith("storage.s3.multipartcopymaxconcurrency: must be between 1"))
                .anyMatch(e -> e.startsWith("storage.s3.multipartcopythresholdsize: must be between 0"))
                .anyMatch(e -> e.startsWith("storage.s3.storageclass: must be one of NONE, STANDARD"));
    }

    @Test
    void keysWharfDoesNotActOn_areWarnedAboutOnlyWhenSet() {
        ConfigResult quiet = load("version: 0.1\nstorage:\n  s3:\n    bucket: b\n    region: r\n"
                + "    accelerate: false\n    objectacl: private\n    loglevel: off\n", Map.of());
        ConfigResult loud = load("version: 0.1\nstorage:\n  s3:\n    bucket: b\n    region: r\n    v4auth: false\n"
                + "    usedualstack: true\n    objectacl: public-read\n    loglevel: debug\n"
                + "    redirectendpoint: https://cdn.example.com\n", Map.of());

        assertThat(quiet.warnings()).isEmpty();
        assertThat(loud.errors()).isEmpty();
        assertThat(loud.warnings()).hasSize(5).allMatch(w -> w.startsWith("storage.s3."))
                .anyMatch(w -> w.startsWith("storage.s3.v4auth: Signature Version 2 is not available"));
    }
}
