package dev.switchboard.worker.tools;

import dev.switchboard.worker.llm.ToolCall;
import dev.switchboard.worker.llm.ToolSpec;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The tools the model may call: the {@link AgentTool} beans, by name. A call is offered those that are configured and,
 * for the phone tools, only when its caller is on a phone line.
 */
@Singleton
public class Toolbox {
    private static final Logger LOG = Logger.getLogger(Toolbox.class);

    private final Map<String, AgentTool> byName = new TreeMap<>(); // sorted: the model sees the tools in a stable order

    @Inject
    Toolbox(@Any Instance<AgentTool> tools) {
        this(tools.stream().toList());
    }

    public Toolbox(List<AgentTool> tools) {
        for (AgentTool tool : tools.stream().filter(AgentTool::offered).toList()) {
            AgentTool previous = byName.putIfAbsent(tool.spec().name(), tool);
            if (previous != null) {
                throw new IllegalStateException("two tools are named " + tool.spec().name() + ": "
                        + previous.getClass().getName() + " and " + tool.getClass().getName());
            }
        }
    }

    public static Toolbox of(AgentTool... tools) {
        return new Toolbox(List.of(tools));
    }

    /** What the model on this call is told it may call. */
    public List<ToolSpec> specs(ToolContext call) {
        return byName.values().stream().filter(tool -> offeredOn(tool, call)).map(AgentTool::spec).toList();
    }

    /** Runs the tool the model called and returns what to tell the model (also when there is no such tool). */
    public String execute(ToolCall call, ToolContext context, boolean spokeThisRound) throws InterruptedException {
        AgentTool tool = byName.get(call.name());
        if (tool == null || !offeredOn(tool, context)) {
            LOG.warnf("room %s: the model called an unknown tool %s", context.room(), call.name());
            return "There is no tool named " + call.name() + ".";
        }
        return tool.execute(call, context, spokeThisRound);
    }

    private static boolean offeredOn(AgentTool tool, ToolContext call) {
        return !tool.needsPhoneLine() || call.onPhoneLine();
    }
}
