// Runs web-push-testing's push service on 127.0.0.1 and a free port, and prints "listening <port>".
// It also keeps the request headers of every push it receives, for POST /received-headers {clientHash}.
const WebPushTestingServer = require('web-push-testing/src/server.js');
const {PushApiModel} = require('web-push-testing/src/PushApiModel.js');

const model = new PushApiModel();
const server = new WebPushTestingServer(model, 0);
const headers = {};
server._app.use('/notify/:clientHash', (req, res, next) => {
	(headers[req.params.clientHash] ||= []).push(req.headers);
	next();
});
server._app.post('/received-headers', (req, res) => res.status(200).send({data: headers[req.body.clientHash] || []}));
server.setRequestHandlers();
const listener = server._app.listen(0, '127.0.0.1', () => {
	const {port} = listener.address();
	model.notifyUrl = `http://127.0.0.1:${port}/notify/`;
	console.log(`listening ${port}`);
});
