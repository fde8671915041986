import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * The demo's TCP throughput figure when iperf3 is not installed (run with the JDK's source launcher, one process in
 * each namespace): {@code receive ADDR PORT} accepts one connection, counts the bytes until the sender closes and
 * prints the rate; {@code send ADDR PORT SECONDS} connects and writes for that long.
 */
final class DemoTcp {
    public static void main(String[] args) throws Exception {
        InetAddress addr = InetAddress.getByName(args[1]);
        int port = Integer.parseInt(args[2]);
        byte[] buf = new byte[1 << 16];
        if (args[0].equals("receive")) {
            try (ServerSocket server = new ServerSocket()) {
                server.bind(new InetSocketAddress(addr, port), 1);
                server.setSoTimeout(30_000);
                try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
                    long start = System.nanoTime();
                    long total = 0;
                    int n;
                    while ((n = in.read(buf)) >= 0) {
                        total += n;
                    }
                    double seconds = (System.nanoTime() - start) / 1e9;
                    System.out.printf("received %.1f MB in %.2f s: %.0f Mbit/s%n", total / 1e6, seconds,
                            total * 8 / seconds / 1e6);
                }
            }
        } else {
            long end = System.nanoTime() + Long.parseLong(args[3]) * 1_000_000_000L;
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(addr, port), 2_000);
                OutputStream out = s.getOutputStream();
                while (System.nanoTime() < end) {
                    out.write(buf);
                }
            }
        }
    }
}
