/* The built-in themes a config can name (theme = dark | light): one colour per role of
 * the plugin ABI, high contrast, readable from five metres. */
#ifndef KIOSK_CONFIG_THEME_H
#define KIOSK_CONFIG_THEME_H

#include "kiosk/plugin.h"

struct kiosk_theme {
    const char *name;
    kiosk_color colors[KIOSK_COLOR_WARNING + 1]; /* indexed by enum kiosk_theme_color */
};

/* "dark" (the default, for wall screens) or "light"; NULL when no theme has that name. */
const struct kiosk_theme *kiosk_theme_find(const char *name);
/* The default theme, dark. */
const struct kiosk_theme *kiosk_theme_default(void);

#endif
