package io.wharf.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A real headless Chromium (Debian's {@code chromium}) driven over the DevTools protocol: the browser started on a
 * free port with a profile of its own, one page, commands as JSON over a WebSocket. Dialogs ({@code confirm}) are
 * accepted as a user clicking OK would, and remembered for tests that must prove none opened.
 */
public final class Chromium implements AutoCloseable {
    public static final ExternalTool CHROMIUM = new ExternalTool("chromium", "chromium");
    private static final Duration COMMAND = Duration.ofSeconds(30);

    private final ObjectMapper json = new ObjectMapper();
    private final Process process;
    private final WebSocket socket;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<Consumer<JsonNode>> listeners = new CopyOnWriteArrayList<>();
    private final List<String> dialogs = new CopyOnWriteArrayList<>();
    private String session;

    private Chromium(Process process, URI browser) throws InterruptedException, ExecutionException {
        this.process = process;
        this.socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(browser, new Listener()).get();
    }

    /** Starts the browser with its profile in {@code profile} and opens one page of the given size. */
    public static Chromium start(Path profile, int width, int height) throws Exception {
        Path binary = CHROMIUM.require();
        Files.createDirectories(profile);
        Process p = new ProcessBuilder(binary.toString(), "--headless=new", "--remote-debugging-port=0",
                "--remote-debugging-address=127.0.0.1", "--user-data-dir=" + profile, "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--disable-dev-shm-usage",
                "--window-size=" + width + "," + height, "about:blank")
                .redirectOutput(profile.resolve("chromium.out").toFile())
                .start();
        URI browser = devToolsUrl(p);
        Chromium c = new Chromium(p, browser);
        try {
            c.openPage();
        } catch (Exception e) {
            c.close();
            throw e;
        }
        return c;
    }

    /** Reads stderr until the browser says where DevTools listen; keeps draining it afterwards. */
    private static URI devToolsUrl(Process p) throws IOException {
        BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
        List<String> seen = new ArrayList<>();
        String line;
        while ((line = err.readLine()) != null) {
            int at = line.indexOf("ws://");
            if (line.startsWith("DevTools listening on") && at >= 0) {
                Thread.ofVirtual().start(() -> drain(err));
                return URI.create(line.substring(at).trim());
            }
            seen.add(line);
        }
        throw new IOException("chromium exited without a DevTools address: " + String.join("\n", seen));
    }

    private static void drain(BufferedReader err) {
        try {
            while (err.readLine() != null) {
                // Chromium's own warnings (GPU, D-Bus) are of no interest here.
            }
        } catch (IOException closed) {
            // The browser ended.
        }
    }

    private void openPage() throws Exception {
        String target = browserCommand("Target.createTarget", Map.of("url", "about:blank")).path("targetId").asText();
        session = browserCommand("Target.attachToTarget", Map.of("targetId", target, "flatten", true))
                .path("sessionId").asText();
        listeners.add(event -> {
            if ("Page.javascriptDialogOpening".equals(event.path("method").asText())) {
                dialogs.add(event.path("params").path("message").asText());
                // Answered off the socket's reader thread, which must keep reading.
                Thread.ofVirtual().start(() -> send(session, "Page.handleJavaScriptDialog", Map.of("accept", true)));
            }
        });
        command("Page.enable", Map.of());
        command("Runtime.enable", Map.of());
    }

    /** A command to the page; its result. */
    public JsonNode command(String method, Map<String, Object> params) throws Exception {
        return await(send(session, method, params), method);
    }

    /** A command to the browser itself (permissions, targets). */
    public JsonNode browserCommand(String method, Map<String, Object> params) throws Exception {
        return await(send(null, method, params), method);
    }

    private JsonNode await(CompletableFuture<JsonNode> reply, String method) throws Exception {
        JsonNode r;
        try {
            r = reply.get(COMMAND.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("chromium did not answer " + method + " within " + COMMAND, e);
        }
        if (r.has("error")) {
            throw new AssertionError(method + ": " + r.get("error"));
        }
        return r.path("result");
    }

    private CompletableFuture<JsonNode> send(String sessionId, String method, Map<String, Object> params) {
        long id = ids.incrementAndGet();
        ObjectNode msg = json.createObjectNode();
        msg.put("id", id);
        msg.put("method", method);
        msg.set("params", json.valueToTree(params));
        if (sessionId != null) {
            msg.put("sessionId", sessionId);
        }
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        synchronized (socket) {
            socket.sendText(msg.toString(), true).join();
        }
        return reply;
    }

    /** Loads a URL and waits for its load event (a new document), or only for the navigation (a new fragment). */
    public void navigate(String url) throws Exception {
        CompletableFuture<Void> loaded = new CompletableFuture<>();
        Consumer<JsonNode> onLoad = e -> {
            if ("Page.loadEventFired".equals(e.path("method").asText())) {
                loaded.complete(null);
            }
        };
        listeners.add(onLoad);
        try {
            JsonNode r = command("Page.navigate", Map.of("url", url));
            if (r.has("errorText")) {
                throw new AssertionError("navigating to " + url + ": " + r.get("errorText"));
            }
            // A change of the fragment only is a same-document navigation: no loader, no load event.
            if (r.has("loaderId")) {
                loaded.get(COMMAND.toMillis(), TimeUnit.MILLISECONDS);
            }
        } finally {
            listeners.remove(onLoad);
        }
    }

    /** Evaluates JavaScript in the page (promises awaited) and returns its value as JSON. */
    public JsonNode eval(String expression) throws Exception {
        JsonNode r = command("Runtime.evaluate", Map.of("expression", expression, "awaitPromise", true,
                "returnByValue", true, "userGesture", true));
        if (r.has("exceptionDetails")) {
            throw new AssertionError("script failed: " + expression + ": " + r.get("exceptionDetails"));
        }
        return r.path("result").path("value");
    }

    /** Waits until the expression is truthy in the page. */
    public void waitFor(String expression, Duration limit) throws InterruptedException {
        Await.until(() -> {
            try {
                JsonNode v = eval("Boolean(" + expression + ")");
                return v.asBoolean();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, limit, expression);
    }

    /** Types text into the focused element, as a keyboard would. */
    public void type(String selector, String text) throws Exception {
        eval("document.querySelector(" + json.writeValueAsString(selector) + ").focus()");
        command("Input.insertText", Map.of("text", text));
    }

    /** Clicks the first element matching the selector (scrolled into view first). */
    public void click(String selector) throws Exception {
        String s = json.writeValueAsString(selector);
        JsonNode found = eval("(() => { const e = document.querySelector(" + s + "); if (!e) return false;"
                + " e.scrollIntoView(); e.click(); return true; })()");
        if (!found.asBoolean()) {
            throw new AssertionError("nothing to click at " + selector);
        }
    }

    /** Writes a PNG of the page's viewport. */
    public void screenshot(Path file) throws Exception {
        JsonNode r = command("Page.captureScreenshot", Map.of("format", "png"));
        Files.createDirectories(file.getParent());
        Files.write(file, Base64.getDecoder().decode(r.path("data").asText()));
    }

    /** The messages of every dialog the page opened (each was accepted). */
    public List<String> dialogs() {
        return List.copyOf(dialogs);
    }

    @Override
    public void close() {
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            // The browser is killed below regardless.
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                try {
                    JsonNode msg = json.readTree(text);
                    if (msg.has("id")) {
                        CompletableFuture<JsonNode> reply = pending.remove(msg.get("id").asLong());
                        if (reply != null) {
                            reply.complete(msg);
                        }
                    } else {
                        listeners.forEach(l -> l.accept(msg));
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            ws.request(1);
            return null;
        }
    }
}
