package dev.beckon.config;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.logging.Handler;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logmanager.ExtFormatter;
import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.LogContext;
import org.jboss.logmanager.handlers.ConsoleHandler;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;

/**
 * In production the console log is one JSON object per line ({@code timestamp, level, logger,
 * thread, message, exception}), for log collectors; dev and test keep readable lines, and
 * {@code beckon.log.json=false} turns it off.
 */
@ApplicationScoped
public class JsonLogs {

    private static final ObjectMapper JSON = new ObjectMapper();

    void install(@Observes @Priority(0) StartupEvent event, BeckonConfig config) {
        if (config.log().json() && LaunchMode.current() == LaunchMode.NORMAL) {
            for (Handler handler : LogContext.getLogContext().getLogger("").getHandlers()) {
                useJson(handler);
            }
        }
    }

    private static void useJson(Handler handler) {
        if (handler instanceof ConsoleHandler console) {
            console.setFormatter(new LineFormatter());
        } else if (handler instanceof ExtHandler parent) {
            for (Handler child : parent.getHandlers()) {
                useJson(child);
            }
        }
    }

    static final class LineFormatter extends ExtFormatter {

        @Override
        public String format(ExtLogRecord record) {
            ObjectNode line = JSON.createObjectNode()
                    .put("timestamp", Instant.ofEpochMilli(record.getMillis()).toString())
                    .put("level", record.getLevel().getName())
                    .put("logger", record.getLoggerName())
                    .put("thread", record.getThreadName())
                    .put("message", formatMessage(record));
            if (record.getThrown() != null) {
                StringWriter trace = new StringWriter();
                record.getThrown().printStackTrace(new PrintWriter(trace));
                line.put("exception", trace.toString());
            }
            try {
                return JSON.writeValueAsString(line) + System.lineSeparator();
            } catch (JsonProcessingException e) {
                return record.getMessage() + System.lineSeparator();
            }
        }
    }
}
