package org.pastiche.ui;

import java.util.List;
import java.util.Optional;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.pastiche.inference.StyleModel;
import org.pastiche.inference.Stylizer;

/**
 * The styles the engine knows, in catalog order, and the one chosen: the last used (or first
 * available) at start; only available styles can be chosen. Availability is taken again from the
 * engine when a model fails to load.
 */
final class StyleChoice {
    private final Stylizer stylizer;
    private final AppSettings settings;
    private final ObservableList<StyleModel> styles = FXCollections.observableArrayList();
    private final ObservableList<StyleModel> readOnlyStyles = FXCollections.unmodifiableObservableList(styles);
    private final ReadOnlyObjectWrapper<StyleModel> selected = new ReadOnlyObjectWrapper<>(this, "selectedStyle");

    StyleChoice(Stylizer stylizer, AppSettings settings) {
        this.stylizer = stylizer;
        this.settings = settings;
    }

    /** Lists the styles and chooses the last used, or the first available; false if none is available. */
    boolean load() {
        List<StyleModel> all = stylizer.styles();
        styles.setAll(all);
        Optional<StyleModel> last = settings.lastStyle()
                .flatMap(id -> all.stream().filter(s -> s.id().equals(id) && s.available()).findFirst());
        last.or(() -> all.stream().filter(StyleModel::available).findFirst()).ifPresent(selected::set);
        return all.stream().anyMatch(StyleModel::available);
    }

    /** Chooses an available style and remembers it. */
    void choose(StyleModel style) {
        selected.set(style);
        settings.setLastStyle(style.id());
    }

    /** Adds a style that was made after the list was read (a saved painting style), unless listed. */
    void add(StyleModel style) {
        if (byId(style.id()).isEmpty()) {
            styles.add(style);
        }
    }

    Optional<StyleModel> byId(String id) {
        return styles.stream().filter(s -> s.id().equals(id)).findFirst();
    }

    /** The style's name in {@code locale}, or its id if unknown. */
    String name(String id, java.util.Locale locale) {
        StyleModel chosen = selected.get(); // a painting used as the style is chosen but not listed
        return byId(id).or(() -> Optional.ofNullable(chosen).filter(s -> s.id().equals(id))).map(s -> s.name(locale)).orElse(id);
    }

    /** The ids of the available styles other than {@code id}. */
    List<String> othersAvailable(String id) {
        return styles.stream().filter(StyleModel::available).map(StyleModel::id).filter(s -> !s.equals(id)).toList();
    }

    /** Takes a style's availability again from the engine (it disables a model that fails to load). */
    void refresh(String id) {
        stylizer.styles().stream().filter(s -> s.id().equals(id)).findFirst().ifPresent(updated -> {
            for (int i = 0; i < styles.size(); i++) {
                if (styles.get(i).id().equals(id) && !styles.get(i).equals(updated)) {
                    boolean wasSelected = styles.get(i).equals(selected.get());
                    styles.set(i, updated);
                    if (wasSelected) {
                        selected.set(updated);
                    }
                }
            }
        });
    }

    ObservableList<StyleModel> styles() {
        return readOnlyStyles;
    }

    /** The chosen style's id, or null before one is chosen. */
    String selectedId() {
        return selected.get() == null ? null : selected.get().id();
    }

    ReadOnlyObjectProperty<StyleModel> selectedProperty() {
        return selected.getReadOnlyProperty();
    }
}
