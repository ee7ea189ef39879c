/* The built-in palettes. */
#include "theme.h"

#include <string.h>

/* High contrast, readable from five metres. */

static const struct kiosk_theme themes[] = {
    {"dark",
     {
         [KIOSK_COLOR_BACKGROUND] = 0xFF0B1F3A,
         [KIOSK_COLOR_SURFACE] = 0xFF14305A,
         [KIOSK_COLOR_TEXT] = 0xFFFFFFFF,
         [KIOSK_COLOR_MUTED] = 0xFFA9BCD6,
         [KIOSK_COLOR_ACCENT] = 0xFFFFC83D,
         [KIOSK_COLOR_HIGHLIGHT] = 0xFFB3261E,
         [KIOSK_COLOR_UP] = 0xFF3DDC84,
         [KIOSK_COLOR_DOWN] = 0xFFFF6B5E,
         [KIOSK_COLOR_WARNING] = 0xFFFFA726,
     }},
    {"light",
     {
         [KIOSK_COLOR_BACKGROUND] = 0xFFF7F4EC,
         [KIOSK_COLOR_SURFACE] = 0xFFFFFFFF,
         [KIOSK_COLOR_TEXT] = 0xFF10213B,
         [KIOSK_COLOR_MUTED] = 0xFF5B6B82,
         [KIOSK_COLOR_ACCENT] = 0xFFB3261E,
         [KIOSK_COLOR_HIGHLIGHT] = 0xFFFFE08A,
         [KIOSK_COLOR_UP] = 0xFF1B7F3B,
         [KIOSK_COLOR_DOWN] = 0xFFC62828,
         [KIOSK_COLOR_WARNING] = 0xFFE65100,
     }},
};

const struct kiosk_theme *kiosk_theme_find(const char *name)
{
    for (size_t i = 0; i < sizeof themes / sizeof themes[0]; i++)
        if (strcmp(themes[i].name, name) == 0)
            return &themes[i];
    return NULL;
}

const struct kiosk_theme *kiosk_theme_default(void)
{
    return &themes[0];
}
