/** Injection tokens of the API app. */
export const API_CONFIG = Symbol('API_CONFIG');
export const API_TOPICS = Symbol('API_TOPICS');
