// How views hand API errors to the app: it may open the step-up or sign-in page, or give back a message to show.

/** Returns the message to show, or null when the app took over (step-up, signed out). */
export type Handle = (caught: unknown) => string | null;
