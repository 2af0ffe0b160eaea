/** The version both documents carry: the API's, `/api/v1`. */
export const apiVersion = '1.0.0';
