package dev.beckon.function;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;

import io.netty.buffer.ByteBufInputStream;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ManagedContext;
import io.quarkus.funqy.runtime.FunctionInvoker;
import io.quarkus.funqy.runtime.FunctionRecorder;
import io.quarkus.funqy.runtime.FunqyServerRequest;
import io.quarkus.funqy.runtime.FunqyServerResponse;
import io.quarkus.funqy.runtime.RequestContext;
import io.quarkus.funqy.runtime.RequestContextImpl;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Runs the functions on the event loop that received the request. Funqy's HTTP binding hands
 * every call to a worker thread and the function's answer back to a worker again before it is
 * written, although every function only starts non-blocking Redis commands: three thread
 * hand-offs per call, each a wake-up of another thread. Here the call is parsed, invoked and
 * answered where it arrived, with Funqy's own invokers and its JSON readers and writers, so a
 * function behaves exactly as under Funqy (same input binding, same answer, same failures,
 * which {@link dev.beckon.api.ErrorResponder} turns into the contract's errors).
 * <p>
 * A function must therefore never block: it returns a {@link Uni} of Redis work. This route
 * runs after {@link FunctionGuard} (which authenticates and refuses what is not a JSON POST) and
 * answers the request itself, so Funqy's route is not reached for these paths.
 */
@ApplicationScoped
public class EventLoopDispatch {

    @Inject
    CurrentVertxRequest currentRequest;

    /** After the guard's routes (observers of the default priority run first), before Funqy's. */
    void install(@Observes @Priority(jakarta.interceptor.Interceptor.Priority.APPLICATION + 1000) Router router) {
        for (String function : FunctionCatalog.NAMES) {
            FunctionInvoker invoker = FunctionRecorder.registry.matchInvoker(function);
            if (invoker != null) {
                router.post("/" + function).order(-1).handler(ctx -> dispatch(ctx, invoker));
            }
        }
    }

    private void dispatch(RoutingContext ctx, FunctionInvoker invoker) {
        Object input = null;
        if (invoker.hasInput()) { // the guard has refused an empty body
            Buffer body = ctx.body().buffer();
            ObjectReader reader = (ObjectReader) invoker.getBindingContext().get(ObjectReader.class.getName());
            try {
                input = reader.readValue((java.io.InputStream) new ByteBufInputStream(body.getByteBuf()));
            } catch (Exception e) {
                // as Funqy does: a 400 without an exception, which the error responder words
                ctx.fail(400);
                return;
            }
        }
        ManagedContext requestContext = Arc.container().requestContext();
        requestContext.activate();
        try {
            currentRequest.setCurrent(ctx);
            Call call = new Call(input);
            invoker.invoke(call, call);
            // the context ends with the synchronous part of the call, as under Funqy: functions read
            // the caller before their first asynchronous step
            call.output.subscribe().with(output -> answer(ctx, invoker, output), ctx::fail);
        } catch (Throwable t) {
            ctx.fail(t);
        } finally {
            if (requestContext.isActive()) {
                requestContext.terminate();
            }
        }
    }

    private static void answer(RoutingContext ctx, FunctionInvoker invoker, Object output) {
        if (!invoker.hasOutput()) {
            ctx.response().setStatusCode(204).end();
            return;
        }
        byte[] json;
        try {
            json = ((ObjectWriter) invoker.getBindingContext().get(ObjectWriter.class.getName())).writeValueAsBytes(output);
        } catch (Exception e) {
            ctx.fail(e);
            return;
        }
        ctx.response().setStatusCode(200).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(Buffer.buffer(json));
    }

    /** One call's input and answer, as Funqy's invoker takes them. */
    private static final class Call implements FunqyServerRequest, FunqyServerResponse {

        private final RequestContext context = new RequestContextImpl();
        private final Object input;
        private Uni<?> output;

        Call(Object input) {
            this.input = input;
        }

        @Override
        public RequestContext context() {
            return context;
        }

        @Override
        public Object extractInput(Class type) {
            return input;
        }

        @Override
        public Uni<?> getOutput() {
            return output;
        }

        @Override
        public void setOutput(Uni<?> output) {
            this.output = output;
        }
    }
}
