package io.qemucompose.daemon.api;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;

/**
 * Makes springdoc's beans when {@code /openapi.json} is first asked for, not at start. springdoc
 * marks a dozen of its beans {@code @Lazy(false)}, so even with lazy initialisation the daemon built
 * its model converters at start, and with them swagger-core's two Jackson 2 mappers (JSON and
 * YAML): about 800 classes and several MiB that stay resident in a process that may never serve
 * the document (scripts/bench-daemon). So every springdoc bean is made lazy here, and the filter
 * in front of the document's paths makes all of them, in the order they were defined, before the
 * first request for it reaches springdoc: the same beans as an eager start, only later.
 */
public final class DeferredOpenApi implements BeanFactoryPostProcessor, Filter {

    /** The paths springdoc serves the document on ({@code springdoc.api-docs.path} and its variants). */
    public static final List<String> PATHS = List.of("/openapi.json", "/openapi.json/*", "/openapi.json.yaml");

    private final List<String> names = new ArrayList<>();
    private ConfigurableListableBeanFactory factory;
    private volatile boolean made;

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        this.factory = beanFactory;
        for (String name : beanFactory.getBeanDefinitionNames()) {
            BeanDefinition definition = beanFactory.getBeanDefinition(name);
            if (isSpringdoc(beanFactory, definition) && !definition.isAbstract()) {
                definition.setLazyInit(true);
                names.add(name);
            }
        }
    }

    private static boolean isSpringdoc(ConfigurableListableBeanFactory beanFactory, BeanDefinition definition) {
        String type = definition.getBeanClassName();
        if (type == null && definition.getFactoryBeanName() != null
                && beanFactory.containsBeanDefinition(definition.getFactoryBeanName())) {
            type = beanFactory.getBeanDefinition(definition.getFactoryBeanName()).getBeanClassName();
        }
        return type != null && type.startsWith("org.springdoc.");
    }

    /** The names of the beans made lazy here, in definition order. */
    List<String> deferred() {
        return List.copyOf(names);
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        makeAll();
        chain.doFilter(request, response);
    }

    private void makeAll() {
        if (made) {
            return;
        }
        synchronized (this) {
            if (!made) {
                names.forEach(factory::getBean);
                made = true;
            }
        }
    }
}
