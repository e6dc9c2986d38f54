package dev.switchboard.transcripts.redaction;

import dev.switchboard.transcripts.config.TranscriptsConfig;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;

/** The service's one {@link Redactor}, configured by switchboard.transcripts.redaction.*. */
public class RedactorProducer {
    private static final Logger LOG = Logger.getLogger(RedactorProducer.class);

    /** Made before any other start-up work, as the token settings are checked: a wrong setting stops the service at once. */
    @Produces
    @Singleton
    @Startup(Interceptor.Priority.PLATFORM_BEFORE)
    Redactor redactor(TranscriptsConfig config) {
        TranscriptsConfig.Redaction r = config.redaction();
        RedactionSettings settings = new RedactionSettings(r.card().enabled(), r.phone().enabled(), r.email().enabled(),
                r.digits().enabled(), r.digits().minLength(), r.spokenNumbers().enabled());
        List<String> on = new ArrayList<>();
        if (settings.card()) on.add("card");
        if (settings.phone()) on.add("phone");
        if (settings.email()) on.add("email");
        if (settings.digits()) on.add("digits(>=" + settings.digitsMinLength() + ")");
        LOG.infof("PII redaction: %s%s", on.isEmpty() ? "off" : String.join(", ", on),
                settings.spokenNumbers() && settings.anyNumberDetector() ? ", numbers spoken as words included" : "");
        return new Redactor(settings);
    }
}
