import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A second ceiling for the load test, outside the gateway's design: a non-blocking TCP relay on
 * JDK NIO selector threads (nginx's model), one upstream connection per client connection, bytes
 * copied both ways with no HTTP at all. It answers whether an event loop instead of virtual
 * threads would leave room for a gateway to match nginx here.
 *
 * <p>Usage: {@code java NioRelay.java PORT UPSTREAM_PORT [SELECTOR_THREADS, default 2]}.
 */
public final class NioRelay {

    public static void main(String[] args) throws IOException {
        InetSocketAddress upstream = new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(args[1]));
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        Loop[] loops = new Loop[threads];
        for (int i = 0; i < threads; i++) {
            loops[i] = new Loop(upstream);
            Thread.ofPlatform().name("relay-" + i).start(loops[i]);
        }
        ServerSocketChannel listener = ServerSocketChannel.open();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(args[0])), 1024);
        System.out.println("nio relay listening on 127.0.0.1:" + args[0]);
        for (int i = 0; ; i++) {
            Loop loop = loops[i % threads];
            loop.incoming.add(listener.accept());
            loop.selector.wakeup();
        }
    }

    /** One selector thread and the connection pairs it owns. */
    private static final class Loop implements Runnable {
        final Selector selector;
        final ConcurrentLinkedQueue<SocketChannel> incoming = new ConcurrentLinkedQueue<>();
        final InetSocketAddress upstream;

        Loop(InetSocketAddress upstream) throws IOException {
            this.selector = Selector.open();
            this.upstream = upstream;
        }

        @Override
        public void run() {
            try {
                while (true) {
                    selector.select();
                    for (SocketChannel client; (client = incoming.poll()) != null; ) {
                        pair(client);
                    }
                    for (Iterator<SelectionKey> keys = selector.selectedKeys().iterator(); keys.hasNext(); ) {
                        SelectionKey key = keys.next();
                        keys.remove();
                        Side side = (Side) key.attachment();
                        try {
                            if (key.isValid() && key.isWritable()) {
                                side.drain();
                            }
                            if (key.isValid() && key.isReadable()) {
                                side.readIntoPeer();
                            }
                        } catch (IOException e) {
                            side.close();
                        }
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        private void pair(SocketChannel client) {
            try {
                SocketChannel server = SocketChannel.open(upstream);
                for (SocketChannel channel : new SocketChannel[] {client, server}) {
                    channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    channel.configureBlocking(false);
                }
                Side a = new Side(client);
                Side b = new Side(server);
                a.peer = b;
                b.peer = a;
                a.key = client.register(selector, SelectionKey.OP_READ, a);
                b.key = server.register(selector, SelectionKey.OP_READ, b);
            } catch (IOException e) {
                try {
                    client.close();
                } catch (IOException ignored) {
                    // nothing to release
                }
            }
        }
    }

    /** One end of a pair: its channel and the bytes waiting to be written to it. */
    private static final class Side {
        final SocketChannel channel;
        final ByteBuffer pending = ByteBuffer.allocateDirect(128 * 1024);
        Side peer;
        SelectionKey key;

        Side(SocketChannel channel) {
            this.channel = channel;
        }

        void readIntoPeer() throws IOException {
            if (channel.read(peer.pending) < 0) {
                close();
                return;
            }
            peer.drain();
        }

        /** Writes what is pending; waits for OP_WRITE if the socket is full, and stops reading the peer while the buffer is full. */
        void drain() throws IOException {
            pending.flip();
            channel.write(pending);
            boolean left = pending.hasRemaining();
            pending.compact();
            key.interestOps(left ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
            int peerOps = peer.key.interestOps() & SelectionKey.OP_WRITE;
            peer.key.interestOps(pending.hasRemaining() ? peerOps | SelectionKey.OP_READ : peerOps);
        }

        void close() {
            try {
                channel.close();
                peer.channel.close();
            } catch (IOException ignored) {
                // closing both ends of a finished pair
            }
        }
    }
}
