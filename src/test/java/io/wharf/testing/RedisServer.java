package io.wharf.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} on a free loopback port, without persistence, in a directory of the test's; skipped
 * with an install hint when Redis is missing (failed under {@code CI=true}). Close it after the test.
 */
public final class RedisServer implements AutoCloseable {
    private final Path dir;
    private final int port;
    private Process process;

    private RedisServer(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    public static RedisServer start(Path dir) throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        RedisServer server = new RedisServer(dir, port);
        server.launch();
        return server;
    }

    private void launch() throws IOException, InterruptedException {
        Path binary = ExternalTool.REDIS_SERVER.require();
        process = new ProcessBuilder(List.of(binary.toString(), "--port", Integer.toString(port), "--bind",
                "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString()))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(
                        dir.resolve("redis.log").toFile())).start();
        awaitPong();
    }

    /** Stops the server's process ({@code SIGSTOP}): a Redis that hangs, accepting commands and answering none. */
    public void pause() throws IOException, InterruptedException {
        signal("-STOP");
    }

    /** Lets a paused server go on ({@code SIGCONT}); it then carries out the commands it received meanwhile. */
    public void resume() throws IOException, InterruptedException {
        signal("-CONT");
    }

    private void signal(String which) throws IOException, InterruptedException {
        int exit = new ProcessBuilder("kill", which, Long.toString(process.pid())).inheritIO().start().waitFor();
        if (exit != 0) {
            throw new IOException("kill " + which + " " + process.pid() + " exited with " + exit);
        }
    }

    /** Kills the server and starts an empty one on the same port: a Redis restarted without persistence. */
    public void restartEmpty() throws IOException, InterruptedException {
        kill();
        launch();
    }

    private void awaitPong() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited with " + process.exitValue());
            }
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                byte[] answer = s.getInputStream().readNBytes(7);
                if (new String(answer, StandardCharsets.US_ASCII).equals("+PONG\r\n")) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            process.waitFor(20, TimeUnit.MILLISECONDS);
        }
        throw new IllegalStateException("redis-server did not answer PING within 20 s");
    }

    public int port() {
        return port;
    }

    /** {@code 127.0.0.1:<port>}, as Distribution's {@code redis.addr}. */
    public String addr() {
        return "127.0.0.1:" + port;
    }

    /** Stops the server (SIGKILL: it holds nothing worth saving). */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
