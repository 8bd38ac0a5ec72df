package io.tlslens.proxy.conn;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;

import java.net.SocketAddress;

/**
 * The socket transport: epoll on Linux when its native library loads, NIO elsewhere.
 *
 * @param name          {@code epoll} or {@code nio}
 * @param ioHandler     the event loops' I/O handler factory
 * @param serverChannel server socket channel class
 * @param socketChannel client socket channel class (backend connections)
 */
public record Transport(String name, IoHandlerFactory ioHandler, Class<? extends ServerChannel> serverChannel,
                 Class<? extends SocketChannel> socketChannel) {

    /** @return epoll when available, else NIO */
    public static Transport best() {
        if (Epoll.isAvailable()) {
            return new Transport("epoll", EpollIoHandler.newFactory(), EpollServerSocketChannel.class, EpollSocketChannel.class);
        }
        return new Transport("nio", NioIoHandler.newFactory(), NioServerSocketChannel.class, NioSocketChannel.class);
    }

    /**
     * Connects a new channel from a task of {@code loop}, never inside the handling of an I/O event. A socket
     * created and registered while a batch of epoll events is being handled may get the descriptor number of a
     * socket closed earlier in the same batch, and Netty then hands that closed socket's remaining events (end
     * of input, error) to the new channel (netty/netty#10411): a relay that ends at once with nothing relayed,
     * or a connect that fails although the peer is up. Tasks run after the batch, so no stale event is left.
     *
     * @param loop      the event loop the channel is registered on (the bootstrap's group is set to it)
     * @param bootstrap the channel's options and handler
     * @param address   where to connect
     * @return completes with the connected channel, or fails with the connect's error (channel closed)
     */
    public static Future<Channel> connect(EventLoop loop, Bootstrap bootstrap, SocketAddress address) {
        Promise<Channel> connected = loop.newPromise();
        loop.execute(() -> bootstrap.group(loop).connect(address).addListener((ChannelFuture f) -> {
            if (f.isSuccess()) {
                connected.setSuccess(f.channel());
            } else {
                connected.setFailure(f.cause());
            }
        }));
        return connected;
    }

    /**
     * @param threads event loop threads, 0 for Netty's default (2 × cores)
     * @return a new event loop group on this transport
     */
    public EventLoopGroup newGroup(int threads) {
        return new MultiThreadIoEventLoopGroup(threads, ioHandler);
    }
}
