package io.qemucompose.driver.image;

import io.qemucompose.spec.GuestArch;
import io.qemucompose.spec.ImageRef;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Resolves {@code freebsd:14.1} as qvm does: the latest release of
 * {@code cross-platform-actions/<os>-builder} from GitHub's releases API, then its asset
 * {@code <os>-<version>-<arch>.qcow2}. {@value #API_ENV} points it at another API server (a
 * mirror, or the tests' local one).
 */
public final class ReleaseResolver {

    public static final String API_ENV = "QEMU_COMPOSE_GITHUB_API";
    public static final String DEFAULT_API = "https://api.github.com";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** What a short name resolved to: the image's URL and the builder's release tag. */
    public record Resolved(URI url, String tag) {}

    private final URI api;
    private final HttpClient http;

    public ReleaseResolver(URI api) {
        this.api = api;
        this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(15)).build();
    }

    public static ReleaseResolver fromEnvironment(Map<String, String> environment) {
        String base = environment.getOrDefault(API_ENV, DEFAULT_API).strip();
        return new ReleaseResolver(URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base));
    }

    public static String builderRepo(ImageRef.Release release) {
        return "cross-platform-actions/" + release.os().id() + "-builder";
    }

    public Resolved resolve(ImageRef.Release release, GuestArch arch) {
        String repo = builderRepo(release);
        URI latest = URI.create(api + "/repos/" + repo + "/releases/latest");
        String file = release.fileName(arch);
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(latest).timeout(Duration.ofSeconds(30))
                    .header("Accept", "application/vnd.github+json").GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new ImagePullException("cannot resolve " + release.shortName() + ": " + latest + " answered HTTP "
                        + response.statusCode());
            }
            JsonNode doc = JSON.readTree(response.body());
            String tag = doc.path("tag_name").asString("");
            if (tag.isEmpty()) {
                throw new ImagePullException("cannot resolve " + release.shortName() + ": " + latest + " has no tag_name");
            }
            for (JsonNode asset : doc.path("assets")) {
                if (file.equals(asset.path("name").asString(""))) {
                    return new Resolved(URI.create(asset.path("browser_download_url").asString()), tag);
                }
            }
            throw new ImagePullException("cannot resolve " + release.shortName() + ": release " + tag + " of " + repo
                    + " has no " + file + " (that version or architecture is not built there)");
        } catch (IOException e) {
            throw new ImagePullException("cannot resolve " + release.shortName() + ": " + latest + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImagePullException("interrupted while resolving " + release.shortName(), e);
        }
    }
}
