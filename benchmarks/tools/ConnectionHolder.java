import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Opens N keep-alive connections to 127.0.0.1:PORT, one virtual thread each, and sends one 1 KiB
 * push with a bearer token on each: by default all connections open first and every push goes at
 * the same moment; with OPENING below N, at most OPENING connections are being opened and pushing
 * at a time (10,000 at once would overflow the server's listen backlog and, through the server, its
 * upstream's). Then prints {@code READY ok=<n>}, holds every connection open and idle, then sends a
 * second push on each (proving they stayed alive) and prints {@code DONE second_ok=<n>}. Exits 0
 * only if all 2N requests got 200.
 *
 * <p>Usage: {@code java ConnectionHolder.java PORT COUNT HOLD TOKEN [OPENING]}, where HOLD is a
 * number of seconds, or the path of a file: hold until that file exists (at most an hour).
 */
public final class ConnectionHolder {

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int count = Integer.parseInt(args[1]);
        String hold = args[2];
        byte[] request = request(port, args[3]);
        int opening = args.length > 4 ? Integer.parseInt(args[4]) : count;
        boolean allAtOnce = opening >= count;
        Semaphore openingNow = new Semaphore(opening);
        CountDownLatch connected = new CountDownLatch(count);
        CountDownLatch firstDone = new CountDownLatch(count);
        CountDownLatch held = new CountDownLatch(1);
        AtomicInteger firstOk = new AtomicInteger();
        AtomicInteger secondOk = new AtomicInteger();
        List<Future<?>> tasks = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < count; i++) {
                tasks.add(threads.submit(() -> {
                    openingNow.acquire();
                    boolean opened = false;
                    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                        socket.setSoTimeout(120_000);
                        connected.countDown();
                        if (allAtOnce) {
                            connected.await();
                        }
                        var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
                        OutputStream out = socket.getOutputStream();
                        if (exchange(out, in, request)) {
                            firstOk.incrementAndGet();
                        }
                        openingNow.release();
                        opened = true;
                        firstDone.countDown();
                        held.await();
                        if (exchange(out, in, request)) {
                            secondOk.incrementAndGet();
                        }
                    } finally {
                        if (!opened) {
                            openingNow.release();
                        }
                        connected.countDown();
                        firstDone.countDown();
                    }
                    return null;
                }));
            }
            if (!firstDone.await(120, TimeUnit.SECONDS)) {
                System.out.println("TIMEOUT first requests not answered within 120 s");
            }
            System.out.println("READY ok=" + firstOk.get());
            System.out.flush();
            hold(hold);
            held.countDown();
        }
        int failed = 0;
        for (Future<?> task : tasks) {
            try {
                task.get();
            } catch (Exception e) {
                if (failed++ == 0) {
                    System.out.println("first failure: " + e.getCause());
                }
            }
        }
        System.out.println("DONE second_ok=" + secondOk.get() + " failed_connections=" + failed);
        System.exit(firstOk.get() == count && secondOk.get() == count ? 0 : 1);
    }

    /** Sleeps HOLD seconds, or until the file HOLD names exists. */
    private static void hold(String hold) throws InterruptedException {
        if (hold.matches("[0-9]+")) {
            Thread.sleep(Integer.parseInt(hold) * 1000L);
            return;
        }
        Path release = Path.of(hold);
        for (int i = 0; i < 36_000 && !Files.exists(release); i++) {
            Thread.sleep(100);
        }
    }

    private static byte[] request(int port, String token) {
        String body = "x".repeat(1024);
        return ("POST /api/v1/push HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
                + "Authorization: Bearer " + token + "\r\n"
                + "Content-Type: application/x-protobuf\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Sends the request and reads one Content-Length-framed response; true for a 200. */
    private static boolean exchange(OutputStream out, BufferedReader in, byte[] request) throws IOException {
        out.write(request);
        out.flush();
        String status = in.readLine();
        if (status == null) {
            throw new IOException("connection closed before a response");
        }
        int length = -1;
        for (String line; (line = in.readLine()) != null && !line.isEmpty(); ) {
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Integer.parseInt(lower.substring(15).trim());
            }
            if (lower.startsWith("transfer-encoding:")) {
                throw new IOException("chunked response not expected here");
            }
        }
        if (length < 0) {
            throw new IOException("response without Content-Length");
        }
        for (int i = 0; i < length; i++) {
            if (in.read() < 0) {
                throw new IOException("connection closed inside the body");
            }
        }
        return status.startsWith("HTTP/1.1 200");
    }
}
