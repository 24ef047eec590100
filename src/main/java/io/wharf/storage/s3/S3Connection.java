package io.wharf.storage.s3;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpConfigurationOption;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.utils.AttributeMap;

/**
 * How to reach the S3 service, in the terms of Distribution's {@code storage.s3} keys. {@link #toString} never shows
 * the secret key.
 *
 * <p>With both keys given, requests are signed with them and the SDK reads no {@code ~/.aws} file nor
 * {@code AWS_*} credential; without them the SDK's default chain applies (environment, profile, instance role),
 * as with Distribution. Checksums are sent only where S3 requires them, so that S3-compatible services that do not
 * know the SDK's newer trailing checksums keep working.
 *
 * @param region the region; when empty with an endpoint, {@code us-east-1} signs the requests
 * @param regionEndpoint an S3-compatible endpoint ({@code regionendpoint}); empty for AWS. Without a scheme,
 *     {@code https://} is assumed, or {@code http://} when {@code secure} is false
 * @param forcePathStyle path-style URLs ({@code host/bucket/key}) instead of virtual hosts
 * @param secure HTTPS; false sends plain HTTP (to AWS too)
 * @param skipVerify accept any TLS certificate and host name (self-signed test services only)
 * @param accessKey the access key id; empty for the default credential chain
 * @param secretKey the secret access key
 * @param userAgent appended to the SDK's {@code User-Agent}; empty for none
 * @param maxConnections the size of the HTTP connection pool; a request waits up to 10 s for a free connection
 */
public record S3Connection(String region, String regionEndpoint, boolean forcePathStyle, boolean secure,
        boolean skipVerify, String accessKey, String secretKey, String userAgent, int maxConnections) {
    /** Signs requests to an S3-compatible endpoint configured without a region. */
    static final String FALLBACK_REGION = "us-east-1";
    public static final int DEFAULT_MAX_CONNECTIONS = 256;
    private static final Duration ACQUIRE_TIMEOUT = Duration.ofSeconds(10);

    public S3Connection {
        region = region == null ? "" : region;
        regionEndpoint = regionEndpoint == null ? "" : regionEndpoint;
        accessKey = accessKey == null ? "" : accessKey;
        secretKey = secretKey == null ? "" : secretKey;
        userAgent = userAgent == null ? "" : userAgent;
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be positive, got " + maxConnections);
        }
    }

    /** A new client; the caller closes it. */
    public S3Client client() {
        return client(List.of());
    }

    /** A new client whose requests also pass through the interceptors (for tests that count requests). */
    S3Client client(List<ExecutionInterceptor> interceptors) {
        ClientOverrideConfiguration.Builder override = ClientOverrideConfiguration.builder()
                .executionInterceptors(interceptors);
        if (!userAgent.isEmpty()) {
            override.putAdvancedOption(SdkAdvancedClientOption.USER_AGENT_SUFFIX, userAgent);
        }
        if (staticCredentials()) {
            override.defaultProfileFile(emptyProfile()).defaultProfileName("default");
        }
        var builder = S3Client.builder()
                .region(Region.of(signingRegion()))
                .credentialsProvider(credentials())
                .forcePathStyle(forcePathStyle)
                .dualstackEnabled(false)
                .fipsEnabled(false)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClient(httpClient())
                .overrideConfiguration(override.build());
        endpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    /** A new presigner for GET URLs, addressing the bucket as the client does; the caller closes it. */
    public S3Presigner presigner() {
        S3Configuration.Builder config = S3Configuration.builder().pathStyleAccessEnabled(forcePathStyle);
        if (staticCredentials()) {
            config.profileFile(emptyProfile());
        }
        var builder = S3Presigner.builder()
                .region(Region.of(signingRegion()))
                .credentialsProvider(credentials())
                .dualstackEnabled(false)
                .fipsEnabled(false)
                .serviceConfiguration(config.build());
        endpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    private boolean staticCredentials() {
        return !accessKey.isEmpty() && !secretKey.isEmpty();
    }

    private AwsCredentialsProvider credentials() {
        return staticCredentials()
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey))
                : DefaultCredentialsProvider.builder().build();
    }

    private static ProfileFile emptyProfile() {
        return ProfileFile.builder().content(new ByteArrayInputStream(new byte[0]))
                .type(ProfileFile.Type.CONFIGURATION).build();
    }

    String signingRegion() {
        return region.isEmpty() ? FALLBACK_REGION : region;
    }

    /**
     * The endpoint to override the SDK's with: the configured one with its scheme made explicit, or AWS's regional
     * endpoint over plain HTTP when {@code secure} is false; empty to let the SDK choose.
     */
    java.util.Optional<URI> endpoint() {
        if (!regionEndpoint.isEmpty()) {
            return java.util.Optional.of(URI.create(regionEndpoint.contains("://") ? regionEndpoint
                    : (secure ? "https://" : "http://") + regionEndpoint));
        }
        return secure ? java.util.Optional.empty()
                : java.util.Optional.of(URI.create("http://s3." + signingRegion() + ".amazonaws.com"));
    }

    private SdkHttpClient httpClient() {
        var builder = Apache5HttpClient.builder().maxConnections(maxConnections)
                .connectionAcquisitionTimeout(ACQUIRE_TIMEOUT);
        if (!skipVerify) {
            return builder.build();
        }
        return builder.buildWithDefaults(
                AttributeMap.builder().put(SdkHttpConfigurationOption.TRUST_ALL_CERTIFICATES, true).build());
    }

    /** Shows everything but the secret key. */
    @Override
    public String toString() {
        return "S3Connection[region=" + region + ", regionEndpoint=" + regionEndpoint + ", forcePathStyle="
                + forcePathStyle + ", secure=" + secure + ", skipVerify=" + skipVerify + ", accessKey=" + accessKey
                + ", secretKey=" + (secretKey.isEmpty() ? "" : "<hidden>") + ", userAgent=" + userAgent
                + ", maxConnections=" + maxConnections + "]";
    }
}
