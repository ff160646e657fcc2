import {
  ActionIcon,
  Badge,
  Button,
  createTheme,
  defaultVariantColorsResolver,
  parseThemeColor,
  type CSSVariablesResolver,
  type VariantColorsResolver,
} from '@mantine/core';

/** Light, outline and subtle variants use shade 8 for their text so small labels keep 4.5:1 contrast (axe). */
const variantColorResolver: VariantColorsResolver = (input) => {
  const colors = defaultVariantColorsResolver(input);
  const parsed = parseThemeColor({ color: input.color || input.theme.primaryColor, theme: input.theme });
  if (
    parsed.isThemeColor &&
    ['light', 'outline', 'subtle', 'default'].includes(input.variant) &&
    input.variant !== 'default'
  ) {
    const text = `var(--mantine-color-${parsed.color}-8)`;
    return { ...colors, color: text, ...(input.variant === 'outline' ? { border: `1px solid ${text}` } : {}) };
  }
  return colors;
};

/** Clean, calm typography; blue primary with enough contrast in both schemes (axe: color-contrast). */
export const theme = createTheme({
  primaryColor: 'blue',
  primaryShade: { light: 8, dark: 5 },
  fontFamily: 'Inter, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  headings: { fontWeight: '650' },
  defaultRadius: 'md',
  variantColorResolver,
  components: {
    // Light and outline badges: text one shade darker (shade 9) for 4.5:1 contrast on small labels.
    Badge: Badge.extend({
      vars: (_theme, props) =>
        props.variant === 'light' || props.variant === 'outline' || props.variant === 'dot'
          ? {
              root: {
                '--badge-color': `var(--mantine-color-${typeof props.color === 'string' ? props.color.split('.')[0] : 'blue'}-9)`,
              },
            }
          : { root: {} },
    }),
    Button: Button.extend({
      vars: (_theme, props) =>
        props.variant === 'light' || props.variant === 'subtle' || props.variant === 'outline'
          ? {
              root: {
                '--button-color': `var(--mantine-color-${typeof props.color === 'string' ? props.color.split('.')[0] : 'blue'}-9)`,
              },
            }
          : { root: {} },
    }),
    ActionIcon: ActionIcon.extend({
      vars: (_theme, props) =>
        props.variant === 'light' || props.variant === 'subtle'
          ? {
              root: {
                '--ai-color': `var(--mantine-color-${typeof props.color === 'string' ? props.color.split('.')[0] : 'blue'}-9)`,
              },
            }
          : { root: {} },
    }),
    Tooltip: { defaultProps: { withArrow: true, openDelay: 200 } },
  },
});

/** Darker secondary text and links than Mantine's defaults, so small text passes WCAG AA contrast (axe). */
export const cssVariablesResolver: CSSVariablesResolver = (t) => ({
  variables: {},
  light: {
    ...Object.fromEntries(
      Object.keys(t.colors).flatMap((c) => [
        [`--mantine-color-${c}-light-color`, `var(--mantine-color-${c}-9)`],
        [`--mantine-color-${c}-text`, `var(--mantine-color-${c}-9)`],
      ]),
    ),
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    '--mantine-color-anchor': 'var(--mantine-color-blue-8)',
    '--mantine-color-placeholder': 'var(--mantine-color-gray-6)',
    '--mantine-primary-color-filled': 'var(--mantine-color-blue-8)',
    '--mantine-primary-color-filled-hover': 'var(--mantine-color-blue-9)',
    '--mantine-primary-color-light-color': 'var(--mantine-color-blue-8)',
  },
  dark: {
    '--mantine-color-dimmed': 'var(--mantine-color-dark-1)',
    '--mantine-color-anchor': 'var(--mantine-color-blue-3)',
  },
});
